import { fromWords, type InstanceStatusMapper } from '../../domain/instance-status.js';

/**
 * Zomro's state word (mapper.ts `instanceStateWord`): `fotbo_status`, else
 * `instance_status`. `instance_status` (billmanager constants): active,
 * stopped, suspend (blocked by billing), verify_resize. `fotbo_status` adds
 * the words the panel treats as work in progress (stopping, and "stoping" as
 * one panel version spells it, starting, creating, building, resizing,
 * processing, rebooting, rescuing, unrescuing, rebuilding) and `resized`, a
 * resize waiting to be confirmed like verify_resize; OpenStack's status words
 * for the same tasks (MIGRATING, RESIZE, REVERT_RESIZE, REBOOT, HARD_REBOOT, BUILD, beside
 * REBUILD), which a panel may pass on and busy-instance.ts refuses a backup
 * or restore under, are BUSY too (they were UNKNOWN). `rescued` and
 * `booted_from_iso` (a VM running another system) are left UNKNOWN, the word
 * kept in `state`. OpenStack's words at rest are read too, for the same panel
 * passing its cloud's status on: ACTIVE is `active` lower-cased, SHUTOFF (Nova's
 * status of a stopped server) STOPPED, PAUSED SUSPENDED (it read UNKNOWN, and a
 * restore into a SHUTOFF instance never came to rest: restore-progress.ts).
 */
const WORDS = {
  active: 'RUNNING',
  stopped: 'STOPPED',
  shutoff: 'STOPPED',
  paused: 'SUSPENDED',
  suspend: 'SUSPENDED',
  suspended: 'SUSPENDED',
  verify_resize: 'BUSY',
  resized: 'BUSY',
  rebuilding: 'BUSY',
  rebuild: 'BUSY',
  resizing: 'BUSY',
  stopping: 'BUSY',
  stoping: 'BUSY',
  starting: 'BUSY',
  creating: 'BUSY',
  building: 'BUSY',
  processing: 'BUSY',
  rebooting: 'BUSY',
  rescuing: 'BUSY',
  unrescuing: 'BUSY',
  migrating: 'BUSY',
  resize: 'BUSY',
  revert_resize: 'BUSY',
  reboot: 'BUSY',
  hard_reboot: 'BUSY',
  build: 'BUSY',
} as const;

export const zomroInstanceStatus: InstanceStatusMapper = (instance) => fromWords(WORDS, instance.state);
