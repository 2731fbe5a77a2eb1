import type { Logger } from 'pino';
import type { Instance, Operation } from '../domain/types.js';
import type { ProviderAdapter } from '../providers/adapter.js';
import type { RequestLoaders } from './loaders.js';
import type { ReadCache } from './read-cache.js';

/**
 * Forgets reads a write made stale: in this request's loaders and in the
 * shared read cache. Mutations call it after they act; the loaders call
 * `afterOperation` on every operation they read, because one seen finished
 * has changed its instance (or, for a sync, its account).
 */
export class CacheInvalidation {
  constructor(
    private readonly loaders: RequestLoaders,
    private readonly cache: ReadCache | undefined,
    private readonly logger: Logger,
    private readonly provider: (providerId: string) => ProviderAdapter,
    /** Whether this gateway (any replica) started the operation: see `afterOperation`. */
    private readonly startedHere: (operation: Operation) => Promise<boolean> = () => Promise.resolve(true),
    /** Tells the other replicas that a mutation wrote to the account (see SharedServices.announceWrite). */
    private readonly announceWrite: (providerId: string) => Promise<void> = () => Promise.resolve(),
  ) {}

  /** Forgets what this request and the read cache knew of one instance (it just changed), here and on the other replicas. */
  async forgetInstance(providerId: string, nativeId: string): Promise<void> {
    await Promise.all([this.forgetInstanceIn(this.cache, providerId, nativeId), this.announceWrite(providerId)]);
  }

  /**
   * Forgets what this request and the read cache knew of one instance, with no write to tell the
   * other replicas of: a mutation about to refuse on a cached word reads it afresh first.
   */
  async forgetRead(providerId: string, nativeId: string): Promise<void> {
    await this.forgetInstanceIn(this.cache, providerId, nativeId);
  }

  /** The same for every instance of an account (a sync may have added backups anywhere). */
  async forgetAccount(adapter: ProviderAdapter): Promise<void> {
    await Promise.all([this.forgetAccountIn(this.cache, adapter), this.announceWrite(adapter.account.id)]);
  }

  private async forgetInstanceIn(cache: ReadCache | undefined, providerId: string, nativeId: string): Promise<void> {
    this.loaders.forgetInstance(providerId, nativeId);
    await cache?.invalidateInstance(providerId, nativeId);
  }

  private async forgetAccountIn(cache: ReadCache | undefined, adapter: ProviderAdapter): Promise<void> {
    this.loaders.forgetAllLists();
    if (!cache) return;
    // Listing the instances may take an upstream call; meanwhile the account's cached lists are stale.
    const release = this.loaders.holdWarmLists(adapter.account.id);
    try {
      let instances: Instance[];
      try {
        instances = await this.loaders.instanceList(adapter);
      } catch (error) {
        // The sync already started at the provider; its answer must not fail for the cache's sake.
        this.logger.warn({ provider: adapter.account.id, err: error }, 'could not list instances to drop their cached reads; they expire with cacheTtlMs');
        return;
      }
      await cache.invalidateInstances(adapter.account.id, instances.map((instance) => instance.nativeId));
    } finally {
      release();
    }
  }

  /**
   * An operation seen finished has changed its instance (a backup made,
   * deleted, restored) or, for a sync, its account: what was read before,
   * in this request or the read cache, is stale from now on.
   *
   * The shared read cache is emptied only for an operation this gateway
   * started: anyone who may read may ask for any operation id, made up or
   * not, and a viewer reading made-up SYNC_BACKUPS ids (each one upstream
   * call, answered FAILED) emptied an account's cached lists for every
   * client, one read each. Work started elsewhere (a provider's own panel)
   * reaches the cache when its entries expire, as it always did.
   */
  async afterOperation(operation: Operation): Promise<Operation> {
    if (operation.status !== 'SUCCEEDED' && operation.status !== 'FAILED') return operation;
    // Reads already in the air were asked before the change: later reads must not share their answers.
    this.provider(operation.providerId).upstream.forgetFlights();
    const cache = this.cache && (await this.startedHere(operation)) ? this.cache : undefined;
    if (operation.kind === 'SYNC_BACKUPS') await this.forgetAccountIn(cache, this.provider(operation.providerId));
    else if (operation.instanceNativeId) await this.forgetInstanceIn(cache, operation.providerId, operation.instanceNativeId);
    return operation;
  }
}
