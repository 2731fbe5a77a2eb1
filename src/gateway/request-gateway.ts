import { isGatewayError } from '../domain/errors.js';
import { decodeId } from '../domain/ids.js';
import type { Backup, BackupDefinition, BackupSchedule, Instance, Operation } from '../domain/types.js';
import type { ProviderKind } from '../providers/registry.js';
import type { Connection, ProviderErrorModel } from '../graphql/models.js';
import type { InstanceListKind, ProviderAdapter } from '../providers/adapter.js';
import { UpstreamBudget } from '../upstream/budget.js';
import type { UpstreamScope } from '../upstream/scope.js';
import type { Gateway } from './gateway.js';
import {
  decodeBackupId,
  decodeDefinitionId,
  decodeInstanceId,
  decodeOperationId,
  decodeScheduleId,
  findByAddress,
  type EntityAddress,
} from './ids.js';
import { RequestLoaders, loaderKey } from './loaders.js';
import { newestFirst } from './backup-order.js';
import { paginate } from './pagination.js';
import type { Principal } from './principal.js';

export interface BackupFilterInput {
  providerId?: string | null;
  kind?: ProviderKind | null;
  instanceId?: string | null;
  status?: readonly string[] | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
}

export type NodeModel = ProviderAdapter | Instance | Backup | BackupSchedule | BackupDefinition | Operation;

/**
 * Everything one GraphQL request may ask of the providers, with the request's
 * principal and loaders. Resolvers stay thin and call this; it never sees
 * GraphQL types.
 */
export class RequestGateway {
  readonly loaders: RequestLoaders;
  /** What every upstream request made for this GraphQL request carries (its id, its budget of upstream calls). */
  readonly scope: UpstreamScope;
  /** Subscription polls go on long after the request: its id, not its budget. */
  private readonly pollScope: UpstreamScope;
  /** Names of the entities looked up one by one (a handful per mutation), kept for audit lines. */
  private readonly namesLookedUp = new Map<string, string>();

  constructor(
    readonly gateway: Gateway,
    readonly principal: Principal,
    requestId: string,
    /** Aborted when the client leaves before its answer (see UpstreamScope.signal). */
    signal?: AbortSignal,
  ) {
    this.scope = { requestId, budget: new UpstreamBudget(gateway.maxUpstreamCallsPerRequest), signal };
    this.pollScope = { requestId };
    this.loaders = new RequestLoaders((providerId) => this.gateway.providers.get(this.principal, providerId), {
      scope: this.scope,
      batch: gateway.options.batching,
      cache: gateway.readCache,
      onBatch: gateway.options.onBatch,
      onOperation: (operation) => this.observed(operation),
    });
  }

  providers(): ProviderAdapter[] {
    return this.gateway.providers.visible(this.principal);
  }

  provider(providerId: string): ProviderAdapter {
    return this.gateway.providers.get(this.principal, providerId);
  }

  /** `listsWanted`: the per-instance lists the query asks of these instances (adapters may start reads for them now). */
  async instances(
    args: { providerId?: string | null; kind?: ProviderKind | null; first?: number | null; after?: string | null },
    listsWanted: ReadonlySet<InstanceListKind> = new Set(),
  ): Promise<Connection<Instance>> {
    const adapters = this.gateway.providers.visible(this.principal, { providerId: args.providerId ?? null, kind: args.kind ?? null });
    if (listsWanted.size > 0) {
      // Where the read cache holds the lists, a warm one needs no such read: only accounts it does not cover.
      const uncached = adapters.filter((adapter) => !this.gateway.readCache?.covers(adapter.account.id));
      for (const adapter of uncached) adapter.prepareLists(listsWanted, this.scope);
    }
    const { items, providerErrors } = await this.acrossProviders(adapters, (adapter) => this.loaders.instanceList(adapter));
    return paginate(items, args.first, args.after, this.gateway.options.maxPageSize, providerErrors);
  }

  async backups(filter: BackupFilterInput | null | undefined, first?: number | null, after?: string | null): Promise<Connection<Backup>> {
    const maxPageSize = this.gateway.options.maxPageSize;
    if (filter?.instanceId) {
      const instance = await this.instance(filter.instanceId);
      const backups = instance ? await this.backupsOf(instance) : [];
      return paginate(applyBackupFilter(backups ?? [], filter), first, after, maxPageSize, []);
    }
    const adapters = this.gateway.providers
      .visible(this.principal, { providerId: filter?.providerId ?? null, kind: filter?.kind ?? null })
      .filter((adapter) => adapter.capabilities.has('LIST_BACKUPS'));
    const { items, providerErrors } = await this.acrossProviders(adapters, async (adapter) => {
      const instances = await this.loaders.instanceList(adapter);
      const lists = await this.loaders.backups.loadMany(instances.map((instance) => loaderKey(adapter.account.id, instance.nativeId)));
      const failure = lists.find((list): list is Error => list instanceof Error);
      if (failure) throw failure;
      // Newest first across all of the account's instances, not only within each.
      return newestFirst((lists as Backup[][]).flat());
    });
    return paginate(applyBackupFilter(items, filter ?? {}), first, after, maxPageSize, providerErrors);
  }

  /** Backups of one instance; [] when its provider does not list backups. */
  backupsOf(instance: Instance): Promise<Backup[]> {
    return this.listOf(instance, 'LIST_BACKUPS', this.loaders.backups);
  }

  schedulesOf(instance: Instance): Promise<BackupSchedule[]> {
    return this.listOf(instance, 'LIST_SCHEDULES', this.loaders.schedules);
  }

  definitionsOf(instance: Instance): Promise<BackupDefinition[]> {
    return this.listOf(instance, 'LIST_DEFINITIONS', this.loaders.definitions);
  }

  async instance(id: string): Promise<Instance | null> {
    const { providerId, nativeId } = decodeInstanceId(id);
    return this.instanceByNativeId(providerId, nativeId);
  }

  async instanceByNativeId(providerId: string, nativeId: string): Promise<Instance | null> {
    if (!this.gateway.providers.find(this.principal, providerId)) return null;
    const instance = await this.loaders.instance.load(loaderKey(providerId, nativeId));
    if (instance) this.namesLookedUp.set(loaderKey(providerId, nativeId), instance.name);
    return instance;
  }

  /**
   * The name of an instance, or of a backup (give its instance), that this
   * request looked up one by one (what mutations act on), for audit lines;
   * null when it did not. Never reads from a provider.
   */
  nameOf(providerId: string, nativeId: string, backupOfInstance?: string): string | null {
    return this.namesLookedUp.get(backupOfInstance === undefined ? loaderKey(providerId, nativeId) : backupKey(providerId, backupOfInstance, nativeId)) ?? null;
  }

  async backup(id: string): Promise<Backup | null> {
    return this.backupAt(decodeBackupId(id));
  }

  async backupAt(address: EntityAddress): Promise<Backup | null> {
    if (!this.gateway.providers.find(this.principal, address.providerId)) return null;
    const backup = findByAddress(await this.loaders.backups.load(loaderKey(address.providerId, address.instanceNativeId)), address);
    if (backup) this.namesLookedUp.set(backupKey(address.providerId, address.instanceNativeId, address.nativeId), backup.name);
    return backup;
  }

  async scheduleAt(address: EntityAddress): Promise<BackupSchedule | null> {
    if (!this.gateway.providers.find(this.principal, address.providerId)) return null;
    return findByAddress(await this.loaders.schedules.load(loaderKey(address.providerId, address.instanceNativeId)), address);
  }

  async definitionAt(address: EntityAddress): Promise<BackupDefinition | null> {
    if (!this.gateway.providers.find(this.principal, address.providerId)) return null;
    return findByAddress(await this.loaders.definitions.load(loaderKey(address.providerId, address.instanceNativeId)), address);
  }

  async operation(id: string): Promise<Operation | null> {
    const ref = decodeOperationId(id);
    return this.gateway.providers.find(this.principal, ref.providerId) ? this.loaders.operation.load(id) : null;
  }

  /**
   * Every status change of an operation until it ends, from one shared poll
   * loop per operation. The loop polls with the scope of the request that
   * started it; later subscribers to the same operation share those polls.
   */
  operationUpdates(id: string): AsyncIterableIterator<Operation> {
    const ref = decodeOperationId(id);
    const adapter = this.gateway.providers.get(this.principal, ref.providerId);
    return this.gateway.watcher.watch(id, async () => this.observed(await adapter.getOperation(ref, this.pollScope)));
  }

  /** Forgets what this request and the read cache knew of one instance (it just changed). */
  async forgetInstance(providerId: string, nativeId: string): Promise<void> {
    this.loaders.forgetInstance(providerId, nativeId);
    await this.gateway.readCache?.invalidateInstance(providerId, nativeId);
  }

  /** The same for every instance of an account (a sync may have added backups anywhere). */
  async forgetAccount(adapter: ProviderAdapter): Promise<void> {
    this.loaders.forgetAllLists();
    const cache = this.gateway.readCache;
    if (!cache) return;
    let instances: Instance[];
    try {
      instances = await this.loaders.instanceList(adapter);
    } catch (error) {
      // The sync already started at the provider; its answer must not fail for the cache's sake.
      this.gateway.logger.warn({ provider: adapter.account.id, err: error }, 'could not list instances to drop their cached reads; they expire with cacheTtlMs');
      return;
    }
    await cache.invalidateInstances(adapter.account.id, instances.map((instance) => instance.nativeId));
  }

  /**
   * An operation seen finished has changed its instance (a backup made,
   * deleted, restored) or, for a sync, its account: what was read before,
   * in this request or the read cache, is stale from now on.
   */
  private async observed(operation: Operation): Promise<Operation> {
    if (operation.status !== 'SUCCEEDED' && operation.status !== 'FAILED') return operation;
    if (operation.kind === 'SYNC_BACKUPS') await this.forgetAccount(this.provider(operation.providerId));
    else if (operation.instanceNativeId) await this.forgetInstance(operation.providerId, operation.instanceNativeId);
    return operation;
  }

  /** Any object by id; a Provider by its account id. Null when it names nothing (or nothing this client may see). */
  async node(id: string): Promise<NodeModel | null> {
    const provider = this.gateway.providers.find(this.principal, id);
    if (provider) return provider;
    const decoded = decodeId(id);
    try {
      switch (decoded.type) {
        case 'Instance':
          return await this.instance(id);
        case 'Backup':
          return await this.backup(id);
        case 'BackupSchedule':
          return await this.scheduleAt(decodeScheduleId(id));
        case 'BackupDefinition':
          return await this.definitionAt(decodeDefinitionId(id));
        case 'Operation':
          return await this.operation(id);
      }
    } catch (error) {
      // A well-formed id whose instance is gone names nothing.
      if (isGatewayError(error) && error.code === 'NOT_FOUND') return null;
      throw error;
    }
  }

  private async listOf<T>(instance: Instance, capability: 'LIST_BACKUPS' | 'LIST_SCHEDULES' | 'LIST_DEFINITIONS', loader: { load(key: string): Promise<T[]> }): Promise<T[]> {
    const adapter = this.provider(instance.providerId);
    if (!adapter.capabilities.has(capability)) return [];
    return loader.load(loaderKey(instance.providerId, instance.nativeId));
  }

  /** Runs `load` for each provider at once; failures become providerErrors, the rest answers. */
  private async acrossProviders<T>(adapters: ProviderAdapter[], load: (adapter: ProviderAdapter) => Promise<T[]>): Promise<{ items: T[]; providerErrors: ProviderErrorModel[] }> {
    const settled = await Promise.allSettled(adapters.map((adapter) => load(adapter)));
    const items: T[] = [];
    const providerErrors: ProviderErrorModel[] = [];
    settled.forEach((result, index) => {
      const adapter = adapters[index] as ProviderAdapter;
      if (result.status === 'fulfilled') items.push(...result.value);
      else providerErrors.push(toProviderError(adapter, result.reason));
    });
    return { items, providerErrors };
  }
}

const backupKey = (providerId: string, instanceNativeId: string, nativeId: string): string => `${loaderKey(providerId, instanceNativeId)}\u0000${nativeId}`;

export function toProviderError(adapter: ProviderAdapter, reason: unknown): ProviderErrorModel {
  if (isGatewayError(reason)) return { provider: adapter, code: reason.code, message: reason.message };
  return { provider: adapter, code: 'PROVIDER_ERROR', message: `provider ${adapter.account.id} failed` };
}

function applyBackupFilter(backups: readonly Backup[], filter: BackupFilterInput): Backup[] {
  const statuses = filter.status?.length ? new Set(filter.status) : null;
  const after = filter.createdAfter?.getTime();
  const before = filter.createdBefore?.getTime();
  return backups.filter((backup) => {
    if (statuses && !statuses.has(backup.status)) return false;
    const created = backup.createdAt?.getTime();
    if (after !== undefined && (created === undefined || created < after)) return false;
    if (before !== undefined && (created === undefined || created >= before)) return false;
    return true;
  });
}

