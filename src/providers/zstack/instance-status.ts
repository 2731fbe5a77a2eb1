import { fromWords, type InstanceStatusMapper } from '../../domain/instance-status.js';

/**
 * ZStack VmInstanceState: Running, Stopped, Paused, and the transitions
 * between them (Starting, Stopping, Rebooting, Migrating, ...). Destroyed is
 * a VM in the recycle bin: off, and recoverable. Crashed, Unknown and
 * NoState say nothing certain. VolumeRecovering is a VM whose volume is being recovered (ZStack's
 * console and guest-tools checks take it as running): held by that task, BUSY; it read UNKNOWN.
 */
const WORDS = {
  running: 'RUNNING',
  stopped: 'STOPPED',
  destroyed: 'STOPPED',
  paused: 'SUSPENDED',
  created: 'BUSY',
  starting: 'BUSY',
  stopping: 'BUSY',
  rebooting: 'BUSY',
  migrating: 'BUSY',
  volumemigrating: 'BUSY',
  volumerecovering: 'BUSY',
  pausing: 'BUSY',
  resuming: 'BUSY',
  destroying: 'BUSY',
  expunging: 'BUSY',
} as const;

export const zstackInstanceStatus: InstanceStatusMapper = (instance) => fromWords(WORDS, instance.state);
