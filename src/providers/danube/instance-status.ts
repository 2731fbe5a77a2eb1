import { fromWords, type InstanceStatusMapper } from '../../domain/instance-status.js';

/**
 * Danube Cloud VM status: running, stopped, frozen (suspended), and the
 * passing ones (stopping, pending, deploying, notready); notcreated is a VM
 * defined but never deployed (off).
 *
 * The documented words ("status values: stopped, running, stopping,
 * notready, deploying, frozen, notcreated, stopped-, running-, frozen-,
 * notcreated-, error", esdc-ce `vms/models/vm.py`) include four with a
 * trailing "-": the same state as the bare word, shown with a change to the
 * VM waiting to be applied. The VM is still in that state (it is stopped,
 * running, ...), so each reads as its bare word; they read UNKNOWN before,
 * and a stopped VM with a pending change did not count as stopped.
 * `error` says nothing certain about the VM and stays UNKNOWN.
 */
const WORDS = {
  running: 'RUNNING',
  'running-': 'RUNNING',
  stopped: 'STOPPED',
  'stopped-': 'STOPPED',
  notcreated: 'STOPPED',
  'notcreated-': 'STOPPED',
  frozen: 'SUSPENDED',
  'frozen-': 'SUSPENDED',
  stopping: 'BUSY',
  pending: 'BUSY',
  deploying: 'BUSY',
  notready: 'BUSY',
  error: 'UNKNOWN',
} as const;

export const danubeInstanceStatus: InstanceStatusMapper = (instance) => fromWords(WORDS, instance.state);
