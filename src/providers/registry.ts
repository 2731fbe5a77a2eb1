import { z } from 'zod';
import type { Logger } from 'pino';
import type { AnswerBytesBudget } from '../upstream/answer-bytes.js';
import { UpstreamClient } from '../upstream/client.js';
import { policyOptionsOf } from '../upstream/defaults.js';
import type { UpstreamObserver } from '../upstream/observer.js';
import type { ProviderAccount, ProviderAdapter } from './adapter.js';
import type { AdapterServices, ProviderModule, RunningSimulator, SimulatorStartOptions } from './module.js';
import { RESTORE_ORDER_NAMESPACE } from './onapp/restore-place.js';
import { CREATE_FINDINGS_NAMESPACE, CreateFindings } from '../state/create-findings.js';
import { KeptOutcomes, RESTORE_OUTCOMES_NAMESPACE, type SendAgain } from '../state/kept-outcomes.js';
import { CREATE_ORDER_NAMESPACE, PLACE_TAKE_STORE_WAIT_MS, CreateOrder } from '../state/create-order.js';
import { StoreTimeout } from '../state/bounded-call.js';
import { storeFailureLines, type CountStoreFailure, type StoreUser } from '../observability/store-failure-lines.js';
import { foreignRowsLog } from './foreign-rows.js';
import { MemoryStore } from '../state/memory-store.js';
import type { KeyValueStore } from '../state/store.js';
import { DEFAULT_TIMEZONE } from './config-base.js';
import { danubeModule } from './danube/index.js';
import { onappModule } from './onapp/index.js';
import { zomroModule } from './zomro/index.js';
import { zstackModule } from './zstack/index.js';
import type { InstanceIdsHeard } from './instance-ids-heard.js';

/**
 * Every provider kind this build knows, by its config `kind`. A new provider
 * is its folder, two lines here (its module's import above and its entry
 * below) and one `ProviderKind` value in schema.graphql
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
  /** Shared by every adapter of the gateway (see adapterServicesOver); each adapter gets its own, in process memory, when absent. */
  services?: AdapterServices;
  /** Tests only: characters of an answer scrubbed per turn of the event loop (CHARS_PER_TURN). */
  scrubCharsPerTurn?: number;
  /** The gateway's one budget of answer bytes held while read (`limits.maxAnswerBytesHeld`), shared by every account. */
  answerBytes?: AnswerBytesBudget;
}

/** Places of overlapping creates kept in memory (each a few dozen bytes; held for a create's minutes, a found one for a day: the oldest go first). */
const CREATE_PLACES_KEPT = 10_000;
/**
 * Entries of creates' marks and ends kept in memory (each a few dozen bytes, for a day: the oldest
 * go first): 10,000 creates, each up to three (its mark, its end, a success without its backup).
 */
const CREATE_FINDINGS_KEPT = 30_000;
/** Entries of restores' marks and outcomes kept in memory (each a few dozen bytes, for a day: the oldest go first): 15,000 restores, two each. */
const RESTORE_OUTCOMES_KEPT = 30_000;

/** An adapter alone (no gateway to look ids up): what its provider named is of no use. */
const NOTHING_HEARD: InstanceIdsHeard = { listedIds: () => undefined, seen: () => undefined };

/**
 * The adapters' services over the gateway's store: in Redis when the
 * gateway's processes share one, so a create on one replica and a create on
 * another take different places. `sendAgain` takes a Zomro restore's mark the store did not take,
 * to send it again (the gateway's queue of late store writes); the mark is lost without it.
 */
export function adapterServicesOver(
  store: KeyValueStore,
  logger: Logger,
  countStoreFailure?: CountStoreFailure,
  draining: AbortSignal = new AbortController().signal,
  sendAgain?: SendAgain,
  listedIds: InstanceIdsHeard = NOTHING_HEARD,
): AdapterServices {
  const places = store.namespace(CREATE_ORDER_NAMESPACE, { maxEntries: CREATE_PLACES_KEPT });
  const counted = (user: StoreUser) => (countStoreFailure ? { user, count: countStoreFailure } : undefined);
  // One line a period, as the read cache's and the idempotency records' store failures: a stalled Redis wrote one per create.
  const placeStoreFailed = storeFailureLines(
    logger,
    'the store did not answer in time while an OnApp create took its place among overlapping creates of its disk',
    undefined,
    counted('create_order'),
  );
  const restoreStoreFailed = storeFailureLines(
    logger,
    'the store did not answer in time while an OnApp restore took its place among overlapping restores of its virtual server',
    undefined,
    counted('restore_order'),
  );
  return {
    createOrder: new CreateOrder(places, () => placeStoreFailed(new StoreTimeout(PLACE_TAKE_STORE_WAIT_MS))),
    // Apart from the creates' places: a restore's series never shares a key with a create's.
    restoreOrder: new CreateOrder(store.namespace(RESTORE_ORDER_NAMESPACE, { maxEntries: CREATE_PLACES_KEPT }), () => restoreStoreFailed(new StoreTimeout(PLACE_TAKE_STORE_WAIT_MS))),
    createFindings: new CreateFindings(
      store.namespace(CREATE_FINDINGS_NAMESPACE, { maxEntries: CREATE_FINDINGS_KEPT }),
      storeFailureLines(logger, "create findings store failed; a Danube create's backup is looked up again, and what a read saw of it is not kept", undefined, counted('create_findings')),
    ),
    restoreOutcomes: new KeptOutcomes(
      store.namespace(RESTORE_OUTCOMES_NAMESPACE, { maxEntries: RESTORE_OUTCOMES_KEPT }),
      storeFailureLines(
        logger,
        'restore outcomes store failed; a Zomro restore the gateway started reads RUNNING until its outcome can be kept, and NOT_FOUND until its mark, sent again every second, lands',
        undefined,
        counted('restore_outcomes'),
      ),
      sendAgain,
    ),
    foreignRows: foreignRowsLog(logger),
    listedIds,
    draining,
  };
}

export function createAdapter(config: ProviderConfig, deps: AdapterDeps): ProviderAdapter {
  const account: ProviderAccount = { id: config.id, kind: config.kind, name: config.name ?? config.id, timezone: config.timezone ?? DEFAULT_TIMEZONE, url: config.url };
  const upstream = new UpstreamClient({
    providerId: config.id,
    kind: config.kind,
    baseUrl: config.url,
    policy: policyOptionsOf(config),
    logger: deps.logger,
    coalesceReads: config.coalesceReads !== false, // issue 14
    ...(deps.observer ? { observer: deps.observer } : {}),
    ...(deps.scrubCharsPerTurn === undefined ? {} : { scrubCharsPerTurn: deps.scrubCharsPerTurn }),
    ...(deps.answerBytes ? { answerBytes: deps.answerBytes } : {}),
  });
  const module: ProviderModule = PROVIDER_MODULES[config.kind];
  return module.open(account, upstream, config, deps.services ?? adapterServicesOver(new MemoryStore(), deps.logger));
}

/** Kinds that ship a simulator: every kind, which is what demo mode and the shared tests run against. */
export const simulatedKinds = (): ProviderKind[] => [...PROVIDER_KINDS];

export function startSimulator(kind: ProviderKind, options: SimulatorStartOptions = {}): Promise<RunningSimulator> {
  const module = PROVIDER_MODULES[kind] as AnyModule | undefined;
  if (!module) throw new Error(`no simulator for provider kind ${kind}`);
  return module.startSimulator(options);
}
