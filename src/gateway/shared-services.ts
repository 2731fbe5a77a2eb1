import type { RowLeftOut } from '../domain/row-left-out.js';
import type { SharedCounters } from '../state/shared-counter.js';
import { rowsLeftOutLog } from './rows-left-out.js';
import { MutationsRunning } from './mutations-running.js';
import { RecentlyListedIds } from './recently-listed-ids.js';
import type { Logger } from 'pino';
import type { LimitsConfig } from '../config/schema.js';
import { READ_CACHE_MAX_BYTES_DEFAULT } from '../config/read-cache.js';
import { ProviderSet } from './provider-set.js';
import { GROUP_SHARE, SECRET_TEXT_REFUSALS_DEFAULT, SecretTextGuard } from './secret-text.js';
import { ReadCache } from './read-cache.js';
import { Idempotency } from './idempotency.js';
import { OperationWatcher } from './operation-watcher.js';
import type { KeyValueStore } from '../state/store.js';
import type { ProtectionSettings } from './protection.js';
import type { OperationBus } from '../cluster/operation-bus.js';
import { FinishTimes } from './finish-times.js';
import { STARTED_OPERATIONS_NAMESPACE, StartedOperations } from './started-operations.js';
import type { LateInvalidations } from './late-invalidations.js';
import { DeletesInFlight } from './deletes-in-flight.js';
import { closeAll } from '../state/close-redis.js';
import { closeDeadline } from '../state/redis-timeouts.js';
import { withinMs } from '../state/bounded-call.js';
import { storeFailureLines, type CountStoreFailure, type StoreUser } from '../observability/store-failure-lines.js';
import { everyAccountScrub } from '../upstream/every-account-scrub.js';

/** How long a mutation's answer waits for its write to be announced to the other replicas. */
const ANNOUNCE_WAIT_MS = 250;

export interface SharedServicesOptions {
  /** The memory of listed ids the adapters feed too (AdapterServices.listedIds); one of its own when absent. */
  listedIds?: RecentlyListedIds | undefined;
  maxPageSize: number;
  /** DataLoader batching; off only for the benchmark's naive baseline. */
  batching: boolean;
  onBatch?: ((loader: string, size: number) => void) | undefined;
  /** Budgets and store bounds (config `limits`); the schema's defaults when absent. */
  limits?: Pick<LimitsConfig, 'maxUpstreamCallsPerRequest' | 'maxUpstreamAnswerBytesPerRequest' | 'readCacheMaxEntries' | 'readCacheMaxBytes' | 'idempotencyMaxEntries' | 'secretTextRefusals'> | undefined;
  /** Recovery-point objectives of the protection view; 24 h everywhere when absent. */
  protection?: ProtectionSettings | undefined;
  /** Most instances one createBackups may name; 100 when absent. */
  maxBulkInstances?: number | undefined;
  /** Shares operation poll loops between replicas (Redis); each process polls alone without it. */
  operationBus?: OperationBus | undefined;
  /** Tests only: a shorter period between store-failure log lines (STORE_FAILURE_LINE_MS). */
  storeFailureLineMs?: number | undefined;
  /** Tests only: a shorter time a subscription rides out a shared store that does not answer (STORE_OUTAGE_RIDDEN_MS). */
  subscriptionStoreOutageMs?: number | undefined;
  /** Told of each failure of the store's users here (read cache, idempotency records, deletes in flight, finish times): a metric. */
  countStoreFailure?: CountStoreFailure | undefined;
  /** Told of each write refused for text the gateway redacts (SecretTextGuard): a metric. */
  countSecretTextRefusal?: (() => void) | undefined;
  /** limits.secretTextRefusals counted across replicas (Redis); each process counts alone without it. */
  sharedSecretTextRefusals?: SharedCounters | undefined;
  /** Tests only: the build the read cache files its entries under (BUILD_ID when absent), to run two builds side by side. */
  cacheBuild?: string | undefined;
  /**
   * Where started records the store did not take are sent again from; shared with the adapters'
   * Zomro restore marks (lateStoreWritesOf), so one Redis outage is retried in one queue. One of
   * its own when absent.
   */
  lateStoreWrites?: LateInvalidations | undefined;
}

/** The config schema's defaults, for services built without a config (benchmarks). */
/** Operations whose first finish time is kept in memory (each a few dozen bytes). */
const FINISH_TIMES_KEPT = 50_000;
/** Accounts whose deletes in flight are kept in memory (one entry each, however many deletes). */
const DELETE_RECORDS_KEPT = 10_000;
/** Operations a mutation started, kept in memory so a cancel can tell them from forged ids (a few dozen bytes each). */
const STARTED_OPERATIONS_KEPT = 100_000;
const DEFAULT_LIMITS = {
  maxUpstreamCallsPerRequest: 10_000,
  maxUpstreamAnswerBytesPerRequest: 256 * 1024 * 1024,
  readCacheMaxEntries: 100_000,
  readCacheMaxBytes: READ_CACHE_MAX_BYTES_DEFAULT,
  idempotencyMaxEntries: 100_000,
  secretTextRefusals: SECRET_TEXT_REFUSALS_DEFAULT,
};

/**
 * What every request of the process shares: the provider accounts, the
 * store, the read cache, idempotency records, subscription poll loops and the
 * loggers. Built once at start-up; each request reads through a RequestReads over it.
 */
export class SharedServices {
  readonly readCache: ReadCache | undefined;
  readonly idempotency: Idempotency;
  /** Poll loops behind operationUpdated subscriptions. */
  readonly watcher: OperationWatcher;
  /** When each operation was first seen finished. */
  readonly finishTimes: FinishTimes;
  /** The operations a mutation of this gateway started: only those may be cancelled. */
  readonly startedOperations: StartedOperations;
  /** Deletes the providers have not finished: their backups read DELETING in every request, on every replica. */
  readonly deletes: DeletesInFlight;
  /** Audit lines: one JSON line per mutation, tagged so log pipelines can route them. */
  readonly audit: Logger;
  /** Writes the throttled line for a row of a provider's list left out (rows-left-out.ts). */
  readonly rowLeftOutLine: (row: RowLeftOut) => void;
  /** Mutations still running, so the drain can audit those it cut. */
  readonly mutationsRunning = new MutationsRunning();
  /** The instance ids each account listed lately, so a look-up by an id listed as written reads no list (RequestReads.listedInstanceId). */
  readonly listedIds: RecentlyListedIds;
  /** Estimated bytes of the lists the in-memory read cache holds (limits.readCacheMaxBytes); 0 in Redis or with the cache off. */
  readonly readCacheBytes: () => number;
  /** Refuses client-written text a provider keeps when the scrubber would redact it (the redaction as an oracle). */
  readonly secretText: SecretTextGuard;
  /** Client text bound for a log line (audit targets, error and refusal lines) scrubbed of every account's secrets, one search for all (every-account-scrub.ts). */
  readonly scrubClientText: (text: string) => string;
  /** Upstream calls one GraphQL request may cause. */
  readonly maxUpstreamCallsPerRequest: number;
  /** Bytes of provider answers one GraphQL request may take in. */
  readonly maxUpstreamAnswerBytesPerRequest: number;

  constructor(
    readonly providers: ProviderSet,
    readonly store: KeyValueStore,
    readonly logger: Logger,
    readonly options: SharedServicesOptions,
    cacheTtlMs: ReadonlyMap<string, number>,
  ) {
    const limits = options.limits ?? DEFAULT_LIMITS;
    const { countStoreFailure } = options;
    const counted = (user: StoreUser) => (countStoreFailure ? { user, count: countStoreFailure } : undefined);
    this.listedIds = options.listedIds ?? new RecentlyListedIds();
    this.scrubClientText = everyAccountScrub(providers.all.map((adapter) => adapter.upstream.secrets));
    this.maxUpstreamCallsPerRequest = limits.maxUpstreamCallsPerRequest;
    const secretTextWindowSeconds = Math.max(1, Math.ceil(limits.secretTextRefusals.windowMs / 1000));
    const sharedSecretText = options.sharedSecretTextRefusals?.counter('secret-text:key', limits.secretTextRefusals.perKey, secretTextWindowSeconds) ?? null;
    const sharedSecretTextGroups = options.sharedSecretTextRefusals?.counter('secret-text:network', limits.secretTextRefusals.perKey * GROUP_SHARE, secretTextWindowSeconds) ?? null;
    this.secretText = new SecretTextGuard(
      () => providers.all.map((adapter) => adapter.upstream.secrets),
      limits.secretTextRefusals,
      logger,
      options.countSecretTextRefusal,
      undefined,
      sharedSecretText,
      sharedSecretTextGroups,
    );
    this.maxUpstreamAnswerBytesPerRequest = limits.maxUpstreamAnswerBytesPerRequest;
    // Each in a namespace of its own: a flood of cached reads can never evict an idempotency record.
    const cacheStore = store.namespace('cache', { maxEntries: limits.readCacheMaxEntries, maxBytes: limits.readCacheMaxBytes });
    const forgetFlightsOf = (providerId: string): void => providers.all.find((adapter) => adapter.account.id === providerId)?.upstream.forgetFlights();
    this.readCacheBytes = () => (this.readCache ? (cacheStore.heldBytes?.() ?? 0) : 0);
    this.readCache = [...cacheTtlMs.values()].some((ttl) => ttl > 0)
      ? new ReadCache(cacheStore, cacheTtlMs, storeFailureLines(logger, 'read cache store failed; reading from the providers', options.storeFailureLineMs, counted('read_cache')), forgetFlightsOf, options.cacheBuild)
      : undefined;
    this.idempotency = new Idempotency(
      store.namespace('idem', { maxEntries: limits.idempotencyMaxEntries }),
      storeFailureLines(logger, 'idempotency store failed or did not answer in time', options.storeFailureLineMs, counted('idempotency')),
    );
    this.watcher = new OperationWatcher(options.operationBus, options.subscriptionStoreOutageMs === undefined ? {} : { storeOutageMs: options.subscriptionStoreOutageMs });
    this.deletes = new DeletesInFlight(store.namespace('deleting', { maxEntries: DELETE_RECORDS_KEPT }), storeFailureLines(logger, "deletes in flight store failed; backups being deleted show the records last read here, else the provider's word", options.storeFailureLineMs, counted('deletes_in_flight')));
    // Read on every operation: a failing store showed nowhere but in finishedAt answering each read's own time.
    this.finishTimes = new FinishTimes(
      store.namespace('finished', { maxEntries: FINISH_TIMES_KEPT }),
      storeFailureLines(logger, "finish times store failed; an operation's finishedAt is this read's time", options.storeFailureLineMs, counted('finish_times')),
      storeFailureLines(
        logger,
        'finish times store failed; an operation seen finished did not empty the read cache: its cached reads stay until they expire (cacheTtlMs)',
        options.storeFailureLineMs,
        counted('finish_times'),
      ),
    );
    this.startedOperations = new StartedOperations(
      store.namespace(STARTED_OPERATIONS_NAMESPACE, { maxEntries: STARTED_OPERATIONS_KEPT }),
      storeFailureLines(logger, 'started operations store failed; a read of an operation whose status rests on its record (a ZStack or Danube operation, a delete whose backup is gone) or a cancel asking it now is STORE_UNAVAILABLE; a record a mutation could not write (its operation started, the provider acted) is sent again every second, that operation NOT_FOUND to such reads and cancels until it lands', options.storeFailureLineMs, counted('started_operations')),
      options.lateStoreWrites,
    );
    this.audit = logger.child({ channel: 'audit' });
    this.rowLeftOutLine = rowsLeftOutLog(logger);
    // Another replica wrote to an account: reads of it in flight here were asked before that write.
    options.operationBus?.onWrite(forgetFlightsOf);
  }

  /**
   * Tells the other replicas of a write this one made (see OperationBus.announceWrite), before the
   * mutation answers: a read its client sends next, through a load balancer, to another replica must
   * not join a read of the account that replica had in flight from before the write. Waits at most
   * ANNOUNCE_WAIT_MS; a bus that fails or is slow costs only that.
   */
  async announceWrite(providerId: string): Promise<void> {
    const bus = this.options.operationBus;
    if (bus) await withinMs(bus.announceWrite(providerId), ANNOUNCE_WAIT_MS);
  }

  async close(): Promise<void> {
    // One command timeout for everything said to Redis from here: the watches' lease releases and
    // unsubscribes (which a stalled Redis fails at the timeout), then QUIT with what is left of it.
    const deadline = closeDeadline();
    await this.watcher.close();
    await this.providers.close();
    // Side by side: a stalled Redis then holds the stop for one command timeout, not one per connection.
    await closeAll([this.options.operationBus?.close(deadline), this.store.close(deadline)]);
  }
}
