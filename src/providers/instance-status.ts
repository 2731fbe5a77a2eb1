import type { InstanceStatus } from '../domain/instance-status.js';
import type { Instance } from '../domain/types.js';
import { PROVIDER_MODULES, type ProviderKind } from './registry.js';

/** An instance's state in the gateway's words, by its kind's own mapping (ProviderModule.instanceStatus). */
export function instanceStatus(kind: ProviderKind, instance: Pick<Instance, 'state' | 'raw'>): InstanceStatus {
  return PROVIDER_MODULES[kind].instanceStatus(instance);
}
