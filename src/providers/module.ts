import type { z } from 'zod';
import type { InstanceStatusMapper } from '../domain/instance-status.js';
import type { Capability } from '../domain/types.js';
import type { SimulatorSeedOptions } from '../simulator/random.js';
import type { ProviderSimulator, SimulatorServer, SimulatorServerOptions } from '../simulator/server.js';
import type { UpstreamClient } from '../upstream/client.js';
import type { SecretSet } from '../upstream/secrets.js';
import type { ForeignRowsReport } from './foreign-rows.js';
import type { CreateFindings } from '../state/create-findings.js';
import type { CreateOrder } from '../state/create-order.js';
import type { KeptOutcomes } from '../state/kept-outcomes.js';
import type { ProviderAccount, ProviderAdapter } from './adapter.js';
import type { ProviderEntry } from './config-base.js';
import type { ProviderKind } from './registry.js';
import type { InstanceIdsHeard } from './instance-ids-heard.js';

/**
 * What the gateway shares with every adapter beyond its account and upstream
 * client: state that must hold across requests and, through Redis, across
 * the gateway's processes.
 */
export interface AdapterServices {
  /** Places of overlapping creates that a provider tells apart only by order (OnApp). */
  createOrder: CreateOrder;
  /** Places of overlapping restores of one VM, told apart only by the order of their transactions (OnApp). */
  restoreOrder: CreateOrder;
  /** The backups creates' operations found in a list that changes (Danube), so later reads name the same one. */
  createFindings: CreateFindings;
  /** The first outcome a poll read of each restore (Zomro), so no later poll, on any replica, tells another. */
  restoreOutcomes: KeptOutcomes;
  /** Told when a VM's backup list named other VMs' backups, which the adapter dropped (foreign-rows.ts). */
  foreignRows: ForeignRowsReport;
  /** Told the instance ids a provider's answers named (Danube's hostnames), for the gateway's look-ups by id (RecentlyListedIds). */
  listedIds: InstanceIdsHeard;
  /** Aborted as the gateway begins to stop (its drain): a write still waiting for its turn gives up, nothing sent (OnApp's restores). */
  draining: AbortSignal;
}

/** A simulator running on loopback, and how to point the gateway at it. */
export interface RunningSimulator<Kind extends string = ProviderKind> {
  kind: Kind;
  url: string;
  /** The HTTP half: request log, latency and fault knobs. */
  server: SimulatorServer;
  /** The provider-specific half: its in-memory state, for tests that look inside. */
  simulator: unknown;
  /** A provider entry for the config (before validation) that talks to this simulator. */
  accountConfig(id: string): Record<string, unknown> & { id: string; kind: Kind };
  stop(): Promise<void>;
}

export type SimulatorStartOptions = SimulatorServerOptions & SimulatorSeedOptions;

/** What a provider's simulator file hands its module: how to make one, and the account entry that reaches it. */
export interface SimulatorKit<Simulator extends ProviderSimulator> {
  create(options: SimulatorStartOptions): Simulator;
  /** The entry's fields besides `id` and `kind`: name, url, auth and whatever else the kind requires. */
  account(url: string, simulator: Simulator): Record<string, unknown>;
}

/** Everything the gateway needs from one provider folder; the registry holds one per kind. */
export interface ProviderModule<Kind extends string = string, Schema extends z.ZodType<ProviderEntry> = z.ZodType<ProviderEntry>> {
  readonly kind: Kind;
  /** The account entry's schema (zod); the registry joins them into the config's `providers` union. */
  readonly configSchema: Schema;
  readonly capabilities: ReadonlySet<Capability>;
  /** The kind's own state words reduced to an InstanceStatus. */
  readonly instanceStatus: InstanceStatusMapper;
  /** Log paths that may carry this kind's credentials, beyond the common ones (password, token, auth, ...). */
  readonly logRedactPaths: readonly string[];
  /** The `auth` keys whose values are secrets (declared to the scrubber): a name such as `username` is not one. */
  readonly secretKeys: readonly string[];
  /** The API writes dates without a zone, read on the account's `timezone`: an account without one is warned of. */
  readonly zonelessDates: boolean;
  /**
   * What an account of these credentials sends with each request instead of logging in ("its OnApp API key"),
   * or null where it logs in with a password, whose refusal is held for `refusedLoginHeldMs`: the hold is warned of where it does nothing.
   */
  standingCredential(auth: object): string | null;
  /** Declares the account's secret material to its upstream client, then makes its adapter. */
  open(account: ProviderAccount, upstream: UpstreamClient, config: ProviderEntry, services: AdapterServices): ProviderAdapter;
  startSimulator(options: SimulatorStartOptions): Promise<RunningSimulator<Kind>>;
}

export interface ProviderModuleDefinition<Kind extends string, Schema extends z.ZodType<ProviderEntry>, Simulator extends ProviderSimulator> {
  kind: Kind;
  configSchema: Schema;
  capabilities: ReadonlySet<Capability>;
  instanceStatus: InstanceStatusMapper;
  logRedactPaths?: readonly string[];
  /** The API writes dates without a zone (`docs/providers.md`, "Dates"); false when left out. */
  zonelessDates?: boolean;
  /** What the account sends with each request where it does not log in with a password (`ProviderModule.standingCredential`). */
  standingCredential(auth: z.output<Schema>['auth']): string | null;
  /** The `auth` keys `declareSecrets` registers as they are configured (test/unit/short-secrets.test.ts keeps the two agreeing). */
  secretKeys: ReadonlyArray<keyof z.output<Schema>['auth'] & string>;
  /** Registers the credentials (and forms of them) the upstream client must scrub from every answer. */
  declareSecrets(secrets: SecretSet, auth: z.output<Schema>['auth']): void;
  createAdapter(account: ProviderAccount, upstream: UpstreamClient, config: z.output<Schema>, services: AdapterServices): ProviderAdapter;
  /** `await import('./simulator.js')`: loaded on demand, so the production import graph holds no simulator. */
  loadSimulator(): Promise<SimulatorKit<Simulator>>;
}

/** Builds a module from a provider folder's parts; the glue every kind shares lives here, once. */
export function defineProviderModule<const Kind extends string, Schema extends z.ZodType<ProviderEntry>, Simulator extends ProviderSimulator>(
  definition: ProviderModuleDefinition<Kind, Schema, Simulator>,
): ProviderModule<Kind, Schema> {
  const { kind } = definition;
  return {
    kind,
    configSchema: definition.configSchema,
    capabilities: definition.capabilities,
    instanceStatus: definition.instanceStatus,
    logRedactPaths: definition.logRedactPaths ?? [],
    secretKeys: definition.secretKeys,
    zonelessDates: definition.zonelessDates ?? false,
    // The registry hands each module only entries its configSchema parsed.
    standingCredential: (auth) => definition.standingCredential(auth as z.output<Schema>['auth']),
    open(account, upstream, config, services) {
      if (config.kind !== kind) throw new Error(`a ${config.kind} account given to the ${kind} module`);
      // The registry picks this module by the entry's kind, and the config union parsed it with configSchema.
      const entry = config as z.output<Schema>;
      definition.declareSecrets(upstream.secrets, entry.auth);
      return definition.createAdapter(account, upstream, entry, services);
    },
    async startSimulator(options) {
      const kit = await definition.loadSimulator();
      const simulator = kit.create(options);
      simulator.seed(options);
      const url = await simulator.start();
      return {
        kind,
        server: simulator.server,
        simulator,
        url,
        accountConfig: (id) => ({ id, kind, ...kit.account(url, simulator) }),
        stop: () => simulator.stop(),
      };
    },
  };
}
