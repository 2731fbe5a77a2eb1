import { z } from 'zod';
import type { Logger } from 'pino';
import { UpstreamClient } from '../upstream/client.js';
import { policyOptionsOf } from '../upstream/defaults.js';
import type { UpstreamObserver } from '../upstream/observer.js';
import type { ProviderAccount, ProviderAdapter } from './adapter.js';
import type { ProviderModule, RunningSimulator, SimulatorStartOptions } from './module.js';
import { danubeModule } from './danube/index.js';
import { onappModule } from './onapp/index.js';
import { zomroModule } from './zomro/index.js';
import { zstackModule } from './zstack/index.js';

/**
 * Every provider kind this build knows, by its config `kind`. A new provider
 * is its folder, one line here and one `ProviderKind` value in schema.graphql
 * (docs/adding-a-provider.md); the kinds, the config union, log redaction and
 * the demo set all follow from this table.
 */
export const PROVIDER_MODULES = {
  zomro: zomroModule,
  onapp: onappModule,
  zstack: zstackModule,
  danube: danubeModule,
} as const satisfies Record<string, ProviderModule>;

export type ProviderKind = keyof typeof PROVIDER_MODULES;
type AnyModule = (typeof PROVIDER_MODULES)[ProviderKind];

export const PROVIDER_KINDS = Object.keys(PROVIDER_MODULES) as ProviderKind[];
const MODULES: AnyModule[] = Object.values(PROVIDER_MODULES);

/** One config entry per provider account, told apart by `kind`. */
export const providerConfigSchema = z.discriminatedUnion('kind', MODULES.map((module) => module.configSchema) as [AnyModule['configSchema'], ...Array<AnyModule['configSchema']>]);
export type ProviderConfig = z.infer<typeof providerConfigSchema>;

/** Log paths where some kind's credentials may sit (the logger adds the common ones). */
export const PROVIDER_LOG_REDACT_PATHS: readonly string[] = [...new Set(MODULES.flatMap((module) => module.logRedactPaths))];

export interface AdapterDeps {
  logger: Logger;
  observer?: UpstreamObserver;
}

export function createAdapter(config: ProviderConfig, deps: AdapterDeps): ProviderAdapter {
  const account: ProviderAccount = { id: config.id, kind: config.kind, name: config.name ?? config.id, timezone: config.timezone };
  const upstream = new UpstreamClient({
    providerId: config.id,
    kind: config.kind,
    baseUrl: config.url,
    policy: policyOptionsOf(config),
    logger: deps.logger,
    ...(deps.observer ? { observer: deps.observer } : {}),
  });
  const module: ProviderModule = PROVIDER_MODULES[config.kind];
  return module.open(account, upstream, config);
}

/** Kinds that ship a simulator: every kind, which is what demo mode and the shared tests run against. */
export const simulatedKinds = (): ProviderKind[] => [...PROVIDER_KINDS];

export function startSimulator(kind: ProviderKind, options: SimulatorStartOptions = {}): Promise<RunningSimulator> {
  const module = PROVIDER_MODULES[kind] as AnyModule | undefined;
  if (!module) throw new Error(`no simulator for provider kind ${kind}`);
  return module.startSimulator(options);
}
