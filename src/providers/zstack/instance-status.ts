import { fromWords, type InstanceStatusMapper } from '../../domain/instance-status.js';

/**
 * ZStack VmInstanceState: Running, Stopped, Paused, and the transitions
 * between them (Starting, Stopping, Rebooting, Migrating, ...). Destroyed is
 * a VM in the recycle bin: off, and recoverable. Crashed, Unknown and
 * NoState say nothing certain. VolumeRecovering is a VM whose volume is being recovered (ZStack's
 * console and guest-tools checks take it as running): held by that task, BUSY; it read UNKNOWN.
 *
 * Created is a VM made and never started: CreateVmInstance's `JustCreate` strategy leaves it so
 * until someone starts it, and ZStack's own list of transitional states
 * (VmInstanceState.intermediateStates: Starting, Stopping, Rebooting, Destroying, Migrating,
 * Pausing, Resuming, VolumeMigrating, VolumeRecovering) leaves it out. Off, at rest: STOPPED. It
 * read BUSY, a VM under a task for as long as nobody started it. Error (a VM ZStack failed to
 * make; no event leads to it) is left UNKNOWN, the word kept in `state`.
 */
const WORDS = {
  running: 'RUNNING',
  stopped: 'STOPPED',
  destroyed: 'STOPPED',
  paused: 'SUSPENDED',
  created: 'STOPPED',
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
