import type { InstanceStatus, InstanceStatusMapper } from '../domain/instance-status.js';
import type { Instance, ProviderKind } from '../domain/types.js';
import { danubeInstanceStatus } from './danube/instance-status.js';
import { onappInstanceStatus } from './onapp/instance-status.js';
import { zomroInstanceStatus } from './zomro/instance-status.js';
import { zstackInstanceStatus } from './zstack/instance-status.js';

/** Each kind's own words for an instance's state; a new provider adds one line. */
const MAPPERS: Record<ProviderKind, InstanceStatusMapper> = {
  zomro: zomroInstanceStatus,
  onapp: onappInstanceStatus,
  zstack: zstackInstanceStatus,
  danube: danubeInstanceStatus,
};

export function instanceStatus(kind: ProviderKind, instance: Pick<Instance, 'state' | 'raw'>): InstanceStatus {
  return MAPPERS[kind](instance);
}
