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
  ) {}

  /** Forgets what this request and the read cache knew of one instance (it just changed). */
  async forgetInstance(providerId: string, nativeId: string): Promise<void> {
    this.loaders.forgetInstance(providerId, nativeId);
    await this.cache?.invalidateInstance(providerId, nativeId);
  }

  /** The same for every instance of an account (a sync may have added backups anywhere). */
  async forgetAccount(adapter: ProviderAdapter): Promise<void> {
    this.loaders.forgetAllLists();
    if (!this.cache) return;
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
      await this.cache.invalidateInstances(adapter.account.id, instances.map((instance) => instance.nativeId));
    } finally {
      release();
    }
  }

  /**
   * An operation seen finished has changed its instance (a backup made,
   * deleted, restored) or, for a sync, its account: what was read before,
   * in this request or the read cache, is stale from now on.
   */
  async afterOperation(operation: Operation): Promise<Operation> {
    if (operation.status !== 'SUCCEEDED' && operation.status !== 'FAILED') return operation;
    // Reads already in the air were asked before the change: later reads must not share their answers.
    this.provider(operation.providerId).upstream.forgetFlights();
    if (operation.kind === 'SYNC_BACKUPS') await this.forgetAccount(this.provider(operation.providerId));
    else if (operation.instanceNativeId) await this.forgetInstance(operation.providerId, operation.instanceNativeId);
    return operation;
  }
}
