import DataLoader from 'dataloader';
import { GatewayError } from '../domain/errors.js';
import { UnusableNativeId } from '../domain/unusable-native-id.js';
import type { InstanceListKind } from '../domain/instance-lists.js';
import type { Backup, BackupDefinition, BackupSchedule, Instance, Operation, OperationRef } from '../domain/types.js';
import type { BatchResult, ProviderAdapter } from '../providers/adapter.js';
import type { UpstreamScope } from '../upstream/scope.js';
import { AccountReadsInFlight } from './account-reads-in-flight.js';
import { firstOfEachId } from './first-of-each-id.js';
import { backupListKey } from './ids.js';
import { operationAt } from './operation-account.js';
import { instanceListNotFound } from './instance-list-not-found.js';
import { ListsRead } from './lists-read.js';
import { ListedInstances } from './listed-instances.js';
import type { ReadCache } from './read-cache.js';
import type { RowsLeftOut } from './rows-left-out.js';
import { asShownBefore } from './shown-before.js';
import { uniqueNewestFirst } from './unique-newest-first.js';

/**
 * An adapter that throws something other than a GatewayError choked on what
 * the provider sent (a mapper met an unexpected shape): that is the provider's
 * answer at fault, reported as PROVIDER_ERROR for that provider.
 */
function asProviderFailure<T>(value: T | unknown, providerId: string): T | Error {
  if (!(value instanceof Error) || value instanceof GatewayError) return value as T | Error;
  return new GatewayError('PROVIDER_ERROR', `provider ${providerId} sent an answer the gateway could not read`, { provider: providerId, providerCode: 'UNREADABLE_ANSWER' });
}

/** Per-request loader key: provider account id and the instance's native id. */
const SEPARATOR = '\u0000';
export const loaderKey = (providerId: string, nativeId: string): string => `${providerId}${SEPARATOR}${nativeId}`;
/**
 * An instance's loader key, remembered per instance object: the read cache
 * hands every request the same Instance objects (never mutated once mapped),
 * and a warm dashboard asked for hundreds of these keys, each a new string to
 * build and hash, three times an instance.
 */
const instanceKeys = new WeakMap<InstanceRef, string>();
export function instanceLoaderKey(instance: InstanceRef): string {
  let key = instanceKeys.get(instance);
  if (key === undefined) {
    key = loaderKey(instance.providerId, instance.nativeId);
    instanceKeys.set(instance, key);
  }
  return key;
}
type InstanceRef = Pick<Instance, 'providerId' | 'nativeId'>;

/**
 * A cached instance list with each id once, remembered per list object: an
 * in-memory read cache hands every request the same array (never mutated),
 * and a warm dashboard made a set of each account's ids anew.
 */
const onceEach = new WeakMap<readonly Instance[], Instance[]>();
function cachedOnceEach(list: readonly Instance[]): Instance[] {
  let kept = onceEach.get(list);
  if (kept === undefined) {
    kept = firstOfEachId(list, (instance) => instance.nativeId);
    onceEach.set(list, kept);
  }
  return kept;
}
/**
 * How one account's listed instances are keyed: by their own key where they name that account,
 * else by the account's (one key function per account, so a list's index is made once).
 */
const listedKeys = new Map<string, (instance: Instance) => string>();
function listedKeyIn(providerId: string): (instance: Instance) => string {
  let keyOf = listedKeys.get(providerId);
  if (keyOf === undefined) {
    keyOf = (instance) => (instance.providerId === providerId ? instanceLoaderKey(instance) : loaderKey(providerId, instance.nativeId));
    listedKeys.set(providerId, keyOf);
  }
  return keyOf;
}
const splitKey = (key: string): [string, string] => {
  const at = key.indexOf(SEPARATOR);
  return [key.slice(0, at), key.slice(at + 1)];
};
/** The accounts a batch's keys name (a batch of hundreds of keys names a handful). */
const accountsOf = (keys: readonly string[]): Set<string> => {
  const accounts = new Set<string>();
  for (const key of keys) accounts.add(key.slice(0, key.indexOf(SEPARATOR)));
  return accounts;
};

export interface LoaderOptions {
  /** The GraphQL request these loaders serve: every upstream request they cause carries it. */
  scope: UpstreamScope;
  /** Off only for the benchmark's naive baseline: every key becomes its own upstream call. */
  batch: boolean;
  /** Cross-request cache of provider reads; absent when no account has `cacheTtlMs`. */
  cache?: ReadCache | undefined;
  /** Observes each batch's size (metrics). */
  onBatch?: ((loader: string, size: number) => void) | undefined;
  /** What an operation read is passed through (a finished one makes earlier reads stale). */
  onOperation?: ((operation: Operation) => Promise<Operation>) | undefined;
  /**
   * Asked before an operation is read of its provider; refuses an id the gateway cannot vouch for.
   * True where an earlier answer showed it SUCCEEDED beside its backup: a running read is then SUCCEEDED.
   */
  beforeOperation?: ((ref: OperationRef, adapter: ProviderAdapter) => Promise<boolean | void>) | undefined;
  /** Asked of an operation read before it is passed on; refuses an answer the gateway cannot vouch for. */
  vouchForAnswer?: ((ref: OperationRef, operation: Operation, adapter: ProviderAdapter) => Promise<void>) | undefined;
  /** Lists that left rows out in this request: never cached, so each answer that lacks the rows says so. */
  rowsLeftOut?: RowsLeftOut | undefined;
  /** Told each instance list a request answers with: read from the provider or from the read cache. */
  onInstanceList?: ((adapter: ProviderAdapter, instances: readonly Instance[]) => void) | undefined;
}

type ListKind = InstanceListKind;
type BatchFn<T> = (adapter: ProviderAdapter, nativeIds: readonly string[]) => Promise<BatchResult<T>>;

/**
 * The request's DataLoaders, one per entity, keyed by (provider account,
 * native instance id). A batch may hold keys of several providers: it is
 * split by provider and each adapter gets all of its keys in one call, so the
 * adapter can answer them with as few upstream requests as its API allows.
 */
export class RequestLoaders {
  readonly instance: DataLoader<string, Instance | null>;
  readonly backups: DataLoader<string, Backup[]>;
  readonly schedules: DataLoader<string, BackupSchedule[]>;
  readonly definitions: DataLoader<string, BackupDefinition[]>;
  /**
   * Operations by global id: each distinct operation is read once per request,
   * however many times the request names it (`_entities`, aliases, node).
   * Providers read operations one at a time, so this de-duplicates, it does
   * not batch.
   */
  readonly operation: DataLoader<string, Operation>;
  /** This request's reads of each account still under way (Provider.health waits for them). */
  readonly inFlight = new AccountReadsInFlight();
  private readonly instanceLists = new Map<string, Promise<Instance[]>>();
  /** What each list loader has read or been served in this request (its DataLoader's cache, kept where `warmList` can see it). */
  private readonly listsRead = { backups: new ListsRead<Backup>(), schedules: new ListsRead<BackupSchedule>(), definitions: new ListsRead<BackupDefinition>() };
  /** Accounts whose cached lists are being dropped (holds by account id): `warmList` serves none of theirs meanwhile. */
  private readonly warmListsHeld = new Map<string, number>();
  /** Instances this request saw the provider return by id: only their lists (and listed ones') may be cached when empty. */
  private readonly seen = new Set<string>();
  /** The instances this request's accounts listed: the instance loader's cache, and seen too. */
  private readonly listedInstances = new ListedInstances();

  constructor(
    private readonly adapterOf: (providerId: string) => ProviderAdapter,
    private readonly options: LoaderOptions,
  ) {
    const dataLoaderOptions = { batch: options.batch };
    this.instance = new DataLoader(async (keys) => {
      const instances = await this.inFlight.track(
        accountsOf(keys),
        this.batch('instance', keys, (adapter, ids) => adapter.getInstances(ids, options.scope)),
      );
      instances.forEach((instance, index) => {
        if (instance !== null && !(instance instanceof Error)) this.seen.add(keys[index] as string);
      });
      return instances;
    }, { ...dataLoaderOptions, cacheMap: this.listedInstances });
    // Sorted before the read cache keeps them, so a cached list is served as it is.
    this.backups = new DataLoader(
      (keys) =>
        this.cachedBatch(
          'backups',
          keys,
          async (adapter, ids) => uniqueNewestFirst(await adapter.listBackups(ids, options.scope)),
          (list: Backup[]) => firstOfEachId(list, backupListKey),
        ),
      { ...dataLoaderOptions, cacheMap: this.listsRead.backups },
    );
    this.schedules = new DataLoader((keys) => this.cachedBatch('schedules', keys, (adapter, ids) => adapter.listSchedules(ids, options.scope)), {
      ...dataLoaderOptions,
      cacheMap: this.listsRead.schedules,
    });
    this.definitions = new DataLoader((keys) => this.cachedBatch('definitions', keys, (adapter, ids) => adapter.listDefinitions(ids, options.scope)), {
      ...dataLoaderOptions,
      cacheMap: this.listsRead.definitions,
    });
    this.operation = new DataLoader((ids) => Promise.all(ids.map((id) => this.loadOperation(id))), dataLoaderOptions);
  }

  /** Every instance of one account, fetched once per request; its instances also answer the instance loader (ListedInstances). */
  instanceList(adapter: ProviderAdapter): Promise<Instance[]> {
    const providerId = adapter.account.id;
    let list = this.instanceLists.get(providerId);
    if (!list) {
      list = this.inFlight.track([providerId], this.loadInstanceList(adapter));
      this.instanceLists.set(providerId, list);
      list.catch(() => this.instanceLists.delete(providerId));
    }
    return list;
  }

  /**
   * One instance's list as the read cache holds it now, without a promise,
   * or undefined: then `load` it. A warm dashboard reads hundreds of lists,
   * and a promise and a DataLoader batch for each was about a sixth of its CPU;
   * answered here, graphql-jit goes on without leaving the field. Only where
   * the cache answers without a round trip (in memory), and only for a key
   * this request has not read yet: what it read first, it keeps. What is
   * served is kept as the loader's answer for the key, so a later `load` in
   * this request answers the same.
   */
  warmList<T>(kind: ListKind, instance: InstanceRef): T[] | undefined {
    const cache = this.options.cache;
    if (!cache) return undefined;
    const key = instanceLoaderKey(instance);
    if (this.listsRead[kind].has(key) || this.warmListsHeld.has(instance.providerId)) return undefined;
    const list = cache.peekList<T[]>(instance, kind);
    if (list !== undefined) (this.listsRead[kind] as ListsRead<T>).serve(key, list);
    return list;
  }

  /**
   * Stops `warmList` serving one account's lists until the returned release
   * is called: a sync must first list the account's instances to know which
   * cached entries to drop, and until they are dropped they are stale.
   */
  holdWarmLists(providerId: string): () => void {
    this.warmListsHeld.set(providerId, (this.warmListsHeld.get(providerId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const holds = (this.warmListsHeld.get(providerId) ?? 1) - 1;
      if (holds > 0) this.warmListsHeld.set(providerId, holds);
      else this.warmListsHeld.delete(providerId);
    };
  }

  /** Forgets what this request read of one instance (after a mutation on it). */
  forgetInstance(providerId: string, nativeId: string): void {
    const key = loaderKey(providerId, nativeId);
    this.backups.clear(key);
    this.schedules.clear(key);
    this.definitions.clear(key);
  }

  /** Forgets what this request read of any instance's lists (after a sync; the loaders are per request, so all of it). */
  forgetAllLists(): void {
    this.backups.clearAll();
    this.schedules.clearAll();
    this.definitions.clearAll();
  }

  private async loadInstanceList(adapter: ProviderAdapter): Promise<Instance[]> {
    const providerId = adapter.account.id;
    const cache = this.options.cache;
    const address = { providerId, kind: 'instances', nativeId: '' };
    const startedAt = cache?.now();
    const [cached] = (await cache?.getMany<Instance[]>([address], startedAt)) ?? [];
    // A cached list too: this version caches none with repeats, but another writer's may hold them,
    // and each would be counted again (protection summary, sweep gauges) and listed again.
    const listed =
      cached ??
      (await adapter.listInstances(this.options.scope).catch((error: unknown): never => {
        throw instanceListNotFound(error, adapter.upstream);
      }));
    const instances = cached ? cachedOnceEach(cached) : firstOfEachId(listed, (instance) => instance.nativeId);
    // A list that left rows out is read again next time, so each answer that lacks them says so.
    if (!cached && startedAt && !this.options.rowsLeftOut?.has('instances', providerId, null)) await cache?.setMany([{ address, value: instances }], startedAt);
    if (this.options.rowsLeftOut?.any === true) this.options.rowsLeftOut.answered('instances', providerId, null, instances.length);
    // A cached list too: another replica read it from the provider after this one last did, and it is
    // the list this request answers with. Fed only by lists read here, the memory of listed ids kept a
    // spelling a rename in case had dropped, and a look-up by it went to Danube as listed, not re-spelt.
    this.options.onInstanceList?.(adapter, instances);
    this.listedInstances.add(instances, listedKeyIn(providerId));
    return instances;
  }

  /** One operation, or its failure as a value (DataLoader fails that key alone). */
  private async loadOperation(id: string): Promise<Operation | Error> {
    let providerId = '';
    try {
      const { ref, adapter } = operationAt(id, this.adapterOf);
      providerId = ref.providerId;
      // What is done with the operation (its delete record ended, in Redis) counts as its read too:
      // a read that follows it (the operation's instance) starts only once that is done.
      return { ...(await this.inFlight.track([providerId], this.readOperation(ref, adapter))), askedId: id };
    } catch (error) {
      return asProviderFailure(error, providerId) as Error;
    }
  }

  private async readOperation(ref: OperationRef, adapter: ProviderAdapter): Promise<Operation> {
    const shownSucceeded = (await this.options.beforeOperation?.(ref, adapter)) === true;
    const read = await adapter.getOperation(ref, this.options.scope);
    await this.options.vouchForAnswer?.(ref, read, adapter);
    const operation = shownSucceeded ? asShownBefore(read) : read;
    return this.options.onOperation ? this.options.onOperation(operation) : operation;
  }

  /**
   * `fromOtherWriters`: what a list read from a shared store goes through. Other replicas, of
   * other versions, fill it too: their lists may hold what this version's loads never keep (a
   * repeated backup). A store of this process's own holds only this version's lists.
   */
  private cachedBatch<T>(kind: ListKind, keys: readonly string[], load: BatchFn<T>, fromOtherWriters?: (value: T) => T): Promise<Array<T | Error>> {
    // Tracked from the start: a list the read cache lacks is read from the provider after a store round trip.
    return this.inFlight.track(
      accountsOf(keys),
      this.cachedOrLoaded(kind, keys, load, fromOtherWriters),
    );
  }

  private async cachedOrLoaded<T>(kind: ListKind, keys: readonly string[], load: BatchFn<T>, fromOtherWriters?: (value: T) => T): Promise<Array<T | Error>> {
    const cache = this.options.cache;
    if (!cache) return this.toldAnswered(kind, keys, await this.batch(kind, keys, load));
    const addresses = keys.map((key) => {
      const [providerId, nativeId] = splitKey(key);
      return { providerId, kind, nativeId };
    });
    const startedAt = cache.now();
    const results: Array<T | Error | undefined> = await cache.getMany<T>(addresses, startedAt);
    if (fromOtherWriters && cache.shared) {
      for (let index = 0; index < results.length; index++) {
        const value = results[index];
        if (value !== undefined) results[index] = fromOtherWriters(value as T);
      }
    }
    const missing = keys.flatMap((_, index) => (results[index] === undefined ? [index] : []));
    if (missing.length === 0) return this.toldAnswered(kind, keys, results as Array<T | Error>);
    const loaded = await this.batch(kind, missing.map((index) => keys[index] as string), load);
    const fills: Array<{ address: (typeof addresses)[number]; value: unknown }> = [];
    missing.forEach((keyIndex, index) => {
      const value = loaded[index] as T | Error;
      results[keyIndex] = value;
      // An empty list of an instance never listed may be a forged id's: caching it would let
      // anyone fill the cache with made-up ids (and evict what the dashboard reads).
      const known = this.wasSeen(keys[keyIndex] as string) || (Array.isArray(value) && value.length > 0);
      const address = addresses[keyIndex] as (typeof addresses)[number];
      // A row of no VM left out (rows-of-no-vm.ts) keeps every such list of its account out too: an
      // account-wide answer made of them from the cache would lack it without saying so.
      const leftRowsOut = this.options.rowsLeftOut?.has(kind, address.providerId, address.nativeId) === true || this.options.rowsLeftOut?.has(kind, address.providerId, null) === true;
      if (!(value instanceof Error) && known && !leftRowsOut) fills.push({ address, value });
    });
    await cache.setMany(fills, startedAt);
    return this.toldAnswered(kind, keys, results as Array<T | Error>);
  }

  /**
   * Tells the request's rows left out how many rows each list read answered, so a list that kept
   * none says so and not "the others answered". Only where some list left rows out: the common
   * request builds nothing here.
   */
  private toldAnswered<T>(kind: ListKind, keys: readonly string[], results: Array<T | Error>): Array<T | Error> {
    const rowsLeftOut = this.options.rowsLeftOut;
    if (rowsLeftOut?.any !== true) return results;
    for (let index = 0; index < keys.length; index++) {
      const value = results[index];
      if (!Array.isArray(value)) continue;
      const [providerId, nativeId] = splitKey(keys[index] as string);
      rowsLeftOut.answered(kind, providerId, nativeId, value.length);
    }
    return results;
  }

  /** Whether this request saw the provider list or return the instance of this key. */
  private wasSeen(key: string): boolean {
    return this.seen.has(key) || this.listedInstances.listed(key);
  }

  /** An id the provider cannot be asked by is the provider's fault where its own list named it in this request (UnusableNativeId). */
  private blamed<T>(value: T | Error, key: string, providerId: string): T | Error {
    return value instanceof UnusableNativeId && this.wasSeen(key) ? value.listedByProvider(providerId) : value;
  }

  private async batch<T>(name: string, keys: readonly string[], load: BatchFn<T>): Promise<Array<T | Error>> {
    this.options.onBatch?.(name, keys.length);
    const byProvider = new Map<string, number[]>();
    keys.forEach((key, index) => {
      const [providerId] = splitKey(key);
      const positions = byProvider.get(providerId) ?? [];
      positions.push(index);
      byProvider.set(providerId, positions);
    });
    const results: Array<T | Error> = new Array(keys.length);
    await Promise.all(
      [...byProvider].map(async ([providerId, positions]) => {
        try {
          const adapter = this.adapterOf(providerId);
          const answers = await load(adapter, positions.map((position) => splitKey(keys[position] as string)[1]));
          positions.forEach((position, index) => {
            results[position] = index < answers.length ? this.blamed(asProviderFailure(answers[index] as T | Error, providerId), keys[position] as string, providerId) : new Error('the adapter answered fewer results than keys');
          });
        } catch (error) {
          const failure = asProviderFailure(error, providerId) as Error;
          for (const position of positions) results[position] = failure;
        }
      }),
    );
    return results;
  }
}
