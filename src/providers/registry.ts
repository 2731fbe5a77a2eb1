import type { Logger } from 'pino';
import type { ProviderConfig } from '../config/schema.js';
import type { ProviderKind } from '../domain/types.js';
import { UpstreamClient } from '../upstream/client.js';
import { UPSTREAM_DEFAULTS, type UpstreamPolicyOptions } from '../upstream/defaults.js';
import type { UpstreamObserver } from '../upstream/observer.js';
import type { ProviderAccount, ProviderAdapter } from './adapter.js';
import type { RunningSimulator, SimulatorStartOptions } from './module.js';
import { danubeModule } from './danube/index.js';
import { onappModule } from './onapp/index.js';
import { zomroModule } from './zomro/index.js';
import { zstackModule } from './zstack/index.js';

/** The provider kinds this build knows; a new provider is one line here (and its config schema). */
const SIMULATORS: Record<ProviderKind, ((options: SimulatorStartOptions) => Promise<RunningSimulator>) | undefined> = {
  zomro: zomroModule.startSimulator,
  onapp: onappModule.startSimulator,
  zstack: zstackModule.startSimulator,
  danube: danubeModule.startSimulator,
};

export interface AdapterDeps {
  logger: Logger;
  observer?: UpstreamObserver;
}

export function policyOptionsOf(config: ProviderConfig): UpstreamPolicyOptions {
  return {
    ...UPSTREAM_DEFAULTS,
    ...(config.timeoutMs !== undefined ? { timeoutMs: config.timeoutMs } : {}),
    ...(config.retries !== undefined ? { retries: config.retries } : {}),
    ...(config.maxConcurrency !== undefined ? { maxConcurrency: config.maxConcurrency } : {}),
    ...(config.breakerThreshold !== undefined ? { breakerThreshold: config.breakerThreshold } : {}),
    ...(config.breakerHalfOpenAfterMs !== undefined ? { breakerHalfOpenAfterMs: config.breakerHalfOpenAfterMs } : {}),
  };
}

export function createAdapter(config: ProviderConfig, deps: AdapterDeps): ProviderAdapter {
  const account: ProviderAccount = { id: config.id, kind: config.kind, name: config.name ?? config.id, timezone: config.timezone };
  const upstream = new UpstreamClient({
    providerId: config.id,
    kind: config.kind,
    baseUrl: config.url,
    policy: policyOptionsOf(config),
    logger: deps.logger,
    coalesceReads: config.coalesceReads !== false, // issue 14
    ...(deps.observer ? { observer: deps.observer } : {}),
  });
  switch (config.kind) {
    case 'zomro':
      return zomroModule.createAdapter(account, upstream, config);
    case 'onapp':
      return onappModule.createAdapter(account, upstream, config);
    case 'zstack':
      return zstackModule.createAdapter(account, upstream, config);
    case 'danube':
      return danubeModule.createAdapter(account, upstream, config);
  }
}

/** Kinds that ship a simulator (all of them, once every provider has landed). */
export const simulatedKinds = (): ProviderKind[] => (Object.keys(SIMULATORS) as ProviderKind[]).filter((kind) => SIMULATORS[kind]);

export function startSimulator(kind: ProviderKind, options: SimulatorStartOptions = {}): Promise<RunningSimulator> {
  const start = SIMULATORS[kind];
  if (!start) throw new Error(`no simulator for provider kind ${kind}`);
  return start(options);
}
