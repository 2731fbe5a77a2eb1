import { fromWords, type InstanceStatusMapper } from '../../domain/instance-status.js';

/**
 * Zomro `instance_status` (billmanager constants): active, stopped, suspend
 * (blocked by billing), verify_resize; the panel also says rebuilding while a
 * restore runs.
 */
const WORDS = { active: 'RUNNING', stopped: 'STOPPED', suspend: 'SUSPENDED', suspended: 'SUSPENDED', verify_resize: 'BUSY', rebuilding: 'BUSY', rebuild: 'BUSY', resizing: 'BUSY' } as const;

export const zomroInstanceStatus: InstanceStatusMapper = (instance) => fromWords(WORDS, instance.state);
