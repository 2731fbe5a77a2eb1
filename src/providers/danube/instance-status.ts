import { fromWords, type InstanceStatusMapper } from '../../domain/instance-status.js';

/**
 * Danube Cloud VM status: running, stopped, frozen (suspended), and the
 * passing ones (stopping, pending, deploying, notready); notcreated is a VM
 * defined but never deployed (off).
 */
const WORDS = {
  running: 'RUNNING',
  stopped: 'STOPPED',
  notcreated: 'STOPPED',
  frozen: 'SUSPENDED',
  stopping: 'BUSY',
  pending: 'BUSY',
  deploying: 'BUSY',
  notready: 'BUSY',
} as const;

export const danubeInstanceStatus: InstanceStatusMapper = (instance) => fromWords(WORDS, instance.state);
