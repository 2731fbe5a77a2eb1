import type { InstanceStatusMapper } from '../../domain/instance-status.js';

/**
 * OnApp says it in flags, not a word: `locked` while a transaction (backup,
 * restore, build) holds the VM, `built` false until it is provisioned,
 * `booted` true or false otherwise.
 */
export const onappInstanceStatus: InstanceStatusMapper = (instance) => {
  const { booted, locked, built } = instance.raw;
  if (locked === true || built === false) return 'BUSY';
  if (booted === true) return 'RUNNING';
  if (booted === false) return 'STOPPED';
  return 'UNKNOWN';
};
