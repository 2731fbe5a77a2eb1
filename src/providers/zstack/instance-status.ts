import { fromWords, type InstanceStatusMapper } from '../../domain/instance-status.js';

/**
 * ZStack VmInstanceState: Running, Stopped, Paused, and the transitions
 * between them (Starting, Stopping, Rebooting, Migrating, ...). Destroyed is
 * a VM in the recycle bin: off, and recoverable. Crashed, Unknown and
 * NoState say nothing certain.
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
  pausing: 'BUSY',
  resuming: 'BUSY',
  destroying: 'BUSY',
  expunging: 'BUSY',
} as const;

export const zstackInstanceStatus: InstanceStatusMapper = (instance) => fromWords(WORDS, instance.state);
