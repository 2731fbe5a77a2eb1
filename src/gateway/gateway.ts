import type { Logger } from 'pino';
import { ProviderSet } from './provider-set.js';
import { ReadCache } from './read-cache.js';
import { Idempotency } from './idempotency.js';
import { OperationWatcher } from './operation-watcher.js';
import type { KeyValueStore } from '../state/store.js';
import type { OperationBus } from '../cluster/operation-bus.js';

export interface GatewayOptions {
  maxPageSize: number;
  /** DataLoader batching; off only for the benchmark's naive baseline. */
  batching: boolean;
  onBatch?: ((loader: string, size: number) => void) | undefined;
  /** Shares operation poll loops between replicas (Redis); each process polls alone without it. */
  operationBus?: OperationBus | undefined;
}

/** Process-wide state shared by all requests: the provider accounts, the shared store and the read cache. */
export class Gateway {
  readonly readCache: ReadCache | undefined;
  readonly idempotency: Idempotency;
  /** Poll loops behind operationUpdated subscriptions. */
  readonly watcher: OperationWatcher;
  /** Audit lines: one JSON line per mutation, tagged so log pipelines can route them. */
  readonly audit: Logger;

  constructor(
    readonly providers: ProviderSet,
    readonly store: KeyValueStore,
    readonly logger: Logger,
    readonly options: GatewayOptions,
    cacheTtlMs: ReadonlyMap<string, number>,
  ) {
    this.readCache = [...cacheTtlMs.values()].some((ttl) => ttl > 0) ? new ReadCache(store, cacheTtlMs, (error) => logger.warn({ err: error }, 'read cache store failed; reading from the providers')) : undefined;
    this.idempotency = new Idempotency(store);
    this.watcher = new OperationWatcher(options.operationBus);
    this.audit = logger.child({ channel: 'audit' });
  }

  async close(): Promise<void> {
    await this.watcher.close();
    await this.options.operationBus?.close();
    await this.providers.close();
    await this.store.close();
  }
}
