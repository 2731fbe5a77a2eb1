import { BUILD_ID } from '../build-id.js';
import type { InstanceListKind } from '../domain/instance-lists.js';
import type { Instance } from '../domain/types.js';
import { answerWithinMs } from '../state/bounded-call.js';
import { growingLru } from '../state/growing-lru.js';
import type { KeyValueStore, StoreEntry } from '../state/store.js';
import { cachedListBytes } from './cached-list-bytes.js';
import { isCachedList } from './cached-list-shape.js';
import { LateInvalidations } from './late-invalidations.js';
import {
  NO_GENERATION,
  cachedEntry,
  generationKey,
  generationOf,
  isClaimedGeneration,
  listUnder,
  newClaimedGeneration,
  newGeneration,
} from './cache-generations.js';

/** One cached list: which account, which instance, which kind of list. */
export interface CacheAddress {
  providerId: string;
  kind: string;
  nativeId: string;
}

/**
 * How long an invalidation is remembered against reads that were already in
 * flight: longer than any upstream read can take (timeouts times retries).
 */
const INVALIDATION_MEMORY_MS = 120_000;

/**
 * How long a read (or a write's invalidation) waits for the store: a Redis
 * that stopped answering held every cached read, and every mutation's answer,
 * for as long as its connection stayed up. Past this the store counts as
 * failed: a miss, read from the provider.
 */
export const READ_CACHE_STORE_WAIT_MS = 250;

/** When a read started: what `setMany` is given, to drop answers an invalidation overtook. */
export interface ReadMark {
  /** This process's invalidation clock. */
  readonly clock: number;
  /** Shared stores: each instance's generation when this read first looked (see cache-generations.ts), by instance key. */
  readonly generations: Map<string, string>;
  /**
   * Shared stores: instances whose first look failed or came too late. The generation their
   * read started under is unknown, so their answers are not cached: read at the moment of
   * writing, it was that of another replica's write the read had not seen, and the older
   * answer was served to every replica for cacheTtlMs.
   */
  readonly unlooked: Set<string>;
}

/** The per-instance lists the cache holds. */
const LIST_KINDS = ['backups', 'schedules', 'definitions'] as const;

/**
 * The cross-request cache of provider reads (`cacheTtlMs` per account, off by
 * default). Entries are per (account, instance, kind of list); a mutation on
 * an instance drops that instance's entries at once, and the instance list of
 * its account, so a read after a write always sees the write.
 *
 * A read that started before the invalidation and answers after it carries
 * the old state: `setMany` drops such answers instead of caching them in
 * this process; in a store shared by replicas (one that answers only with a
 * round trip: Redis) each entry also carries the generation of its instance
 * that its read started under, and is served only while it is still the
 * instance's (cache-generations.ts), so another replica's invalidation
 * reaches reads in flight here too.
 */
export class ReadCache {
  private readonly invalidatedAt = growingLru<string, number>(100_000, { ttl: INVALIDATION_MEMORY_MS });
  /**
   * Shared stores: the generation this replica last read of each instance. One read now that
   * differs says another replica wrote to the instance since: see `getMany`.
   */
  private readonly generationsSeen = growingLru<string, string>(100_000);
  private clock = 0;
  /** Shared stores: invalidations the store did not take, sent again until they land. */
  private readonly late = new LateInvalidations();

  constructor(
    private readonly store: KeyValueStore,
    /** TTL per provider account; accounts without one are not cached. */
    private readonly ttlMs: ReadonlyMap<string, number>,
    /** A store that fails (Redis down) costs the cache, never the read: misses, and this is told. */
    private readonly onStoreError: (error: unknown) => void = () => {},
    /**
     * Told of the account of an instance whose generation changed since this replica last read it
     * (another replica wrote to it): reads of the account already in flight here were asked
     * before that write, and a read that misses now must not join one (ReadCoalescer.forgetFlights).
     */
    private readonly onOtherWrite: (providerId: string) => void = () => {},
    /**
     * The build whose entries this cache reads and writes (BUILD_ID). Replicas of two builds share
     * Redis during a rollout, and a list one build cached can pass the other's shape check and still
     * mean something else: Zomro's dates read as UTC by the version before were served as they were
     * for cacheTtlMs after the upgrade. Each build reads only its own entries; the instances'
     * generations stay shared, so a write through either drops what both cached.
     */
    private readonly build: string = BUILD_ID,
  ) {
    this.shared = store.peek === undefined;
  }

  /** Whether replicas share the store (generations kept), rather than this process alone: then other writers (versions) fill it too. */
  readonly shared: boolean;

  /** The store is the gateway's `cache` namespace: only the build before the entry's address. */
  private key({ providerId, kind, nativeId }: CacheAddress): string {
    return `${this.build}/${providerId}:${kind}:${nativeId}`;
  }

  private static instanceKey(providerId: string, nativeId: string): string {
    return `${providerId}\u0000${nativeId}`;
  }

  /** Whether this account's reads are cached at all. */
  covers(providerId: string): boolean {
    return Boolean(this.ttlMs.get(providerId));
  }

  /** A mark to pass to `getMany`, then `setMany`: answers to reads started after it. */
  now(): ReadMark {
    return { clock: this.clock, generations: new Map(), unlooked: new Set() };
  }

  /**
   * What is cached at `address`, read without a round trip where the store
   * allows it (in memory); undefined where absent, not cached, or the store
   * needs a round trip (Redis: use `getMany`).
   */
  peek<T>(address: CacheAddress): T | undefined {
    if (!this.store.peek || !this.ttlMs.get(address.providerId)) return undefined;
    try {
      return this.store.peek<T>(this.key(address));
    } catch (error) {
      this.onStoreError(error);
      return undefined;
    }
  }

  /**
   * `peek` of one of an instance's lists. Its store key is remembered per
   * instance object and kind (the cache hands every request the same Instance,
   * never mutated once mapped): a warm dashboard built and hashed hundreds of
   * these keys anew.
   */
  peekList<T>(instance: Pick<Instance, 'providerId' | 'nativeId'>, kind: InstanceListKind): T | undefined {
    if (!this.store.peek || !this.ttlMs.get(instance.providerId)) return undefined;
    let keys = this.listKeys.get(instance);
    if (keys === undefined) {
      keys = {};
      this.listKeys.set(instance, keys);
    }
    const key = (keys[kind] ??= this.key({ providerId: instance.providerId, kind, nativeId: instance.nativeId }));
    try {
      return this.store.peek<T>(key);
    } catch (error) {
      this.onStoreError(error);
      return undefined;
    }
  }

  /** Store keys of instances' lists, per instance object (see `peekList`). */
  private readonly listKeys = new WeakMap<Pick<Instance, 'providerId' | 'nativeId'>, Partial<Record<InstanceListKind, string>>>();

  /**
   * One store round trip for the lot; undefined where absent or not cached.
   * `mark` (from `now`) learns each instance's generation for `setMany`.
   */
  async getMany<T>(addresses: readonly CacheAddress[], mark?: ReadMark): Promise<Array<T | undefined>> {
    const results: Array<T | undefined> = new Array<T | undefined>(addresses.length).fill(undefined);
    const keys: string[] = [];
    const positions: number[] = [];
    addresses.forEach((address, index) => {
      if (!this.ttlMs.get(address.providerId)) return;
      keys.push(this.key(address));
      positions.push(index);
    });
    if (keys.length === 0) return results;
    try {
      if (!this.shared) {
        const values = await this.readWithin<T>(keys);
        positions.forEach((position, index) => {
          results[position] = values[index];
        });
        return results;
      }
      const instances = positions.map((position) => ReadCache.instanceKeyOf(addresses[position] as CacheAddress));
      const distinct = [...new Set(instances)];
      const values = await this.readWithin<unknown>([...keys, ...distinct.map(generationKey)]);
      const generations = new Map(distinct.map((instance, index) => [instance, generationOf(values[keys.length + index])]));
      this.noteGenerations(generations);
      positions.forEach((position, index) => {
        const generation = generations.get(instances[index] as string) as string;
        if (mark && !mark.generations.has(instances[index] as string)) mark.generations.set(instances[index] as string, generation);
        const list = listUnder(values[index], generation);
        const { providerId, kind } = addresses[position] as CacheAddress;
        results[position] = list !== undefined && isCachedList(list, providerId, kind) ? (list as T) : undefined;
      });
    } catch (error) {
      this.onStoreError(error);
      if (mark && this.shared) for (const position of positions) this.markUnlooked(mark, addresses[position] as CacheAddress);
    }
    return results;
  }

  /**
   * `store.getMany` within READ_CACHE_STORE_WAIT_MS of the store's answer; its decoding, a long
   * list's a piece at a time with other work between, comes after that wait, not within it.
   */
  private async readWithin<T>(keys: readonly string[]): Promise<Array<T | undefined>> {
    if (!this.store.getManyAnswered) return answerWithinMs(this.store.getMany<T>(keys), READ_CACHE_STORE_WAIT_MS);
    const decode = await answerWithinMs(this.store.getManyAnswered<T>(keys), READ_CACHE_STORE_WAIT_MS);
    return decode();
  }

  /** `store.setMany` within READ_CACHE_STORE_WAIT_MS of its sending: the encoding comes first, outside the wait. */
  private async writeWithin(entries: ReadonlyArray<StoreEntry>): Promise<void> {
    if (!this.store.setManyPrepared) return answerWithinMs(this.store.setMany(entries), READ_CACHE_STORE_WAIT_MS);
    const send = await this.store.setManyPrepared(entries);
    await answerWithinMs(send(), READ_CACHE_STORE_WAIT_MS);
  }

  /**
   * Remembers each instance's generation as read, and tells `onOtherWrite` of the accounts whose
   * generation changed since the last read here. The writer's announcement (the operation bus)
   * travels apart from the generation and may come later, or be lost while the bus reconnects: a
   * read that found the entry dropped joined a flight asked before the write, was told the
   * deleted backup was still there, and cached that under the new generation for every replica.
   */
  private noteGenerations(generations: ReadonlyMap<string, string>): void {
    const written = new Set<string>();
    for (const [instance, generation] of generations) {
      const seen = this.generationsSeen.get(instance);
      if (seen === generation) continue;
      this.generationsSeen.set(instance, generation);
      if (seen !== undefined && !isClaimOrItsEnd(seen, generation)) written.add(instance.slice(0, instance.indexOf('\u0000')));
    }
    for (const providerId of written) this.onOtherWrite(providerId);
  }

  private markUnlooked(mark: ReadMark, address: CacheAddress): void {
    const instance = ReadCache.instanceKeyOf(address);
    if (!mark.generations.has(instance)) mark.unlooked.add(instance);
  }

  /** Caches answers to reads started at `mark` (see `now`), except those an invalidation overtook. */
  async setMany(entries: ReadonlyArray<{ address: CacheAddress; value: unknown }>, mark: ReadMark): Promise<void> {
    const fresh = entries.flatMap(({ address, value }) => {
      const ttlMs = this.ttlMs.get(address.providerId);
      const instance = ReadCache.instanceKeyOf(address);
      if (!ttlMs || this.overtaken(address, mark.clock) || mark.unlooked.has(instance)) return [];
      // Taken here, where the list's kind is known, once per list set, for the memory store's byte
      // bound; a walk of the list Redis would not read (its maxmemory bounds it).
      return [{ key: this.key(address), instance, value, ttlMs, bytes: this.shared ? undefined : cachedListBytes(address.kind, value) }];
    });
    if (fresh.length === 0) return;
    try {
      if (!this.shared) {
        await this.writeWithin(fresh);
        return;
      }
      // A read that did not look first (no getMany with this mark) is written under the generation of now.
      const unseen = [...new Set(fresh.map((entry) => entry.instance).filter((instance) => !mark.generations.has(instance)))];
      if (unseen.length > 0) {
        const now = await this.readWithin<unknown>(unseen.map(generationKey));
        unseen.forEach((instance, index) => mark.generations.set(instance, generationOf(now[index])));
      }
      const claimed = await this.claimGenerations(fresh, mark);
      // The list and its generation in one key: Redis keeps or evicts both, and writes both or neither.
      const writes = fresh.flatMap(({ key, instance, value, ttlMs, bytes }) => {
        const generation = claimed.get(instance) ?? (mark.generations.get(instance) as string);
        return generation === NO_GENERATION ? [] : [{ key, value: cachedEntry(generation, value), ttlMs, bytes }];
      });
      if (writes.length > 0) await this.writeWithin(writes);
    } catch (error) {
      this.onStoreError(error);
    }
  }

  /**
   * A generation for each instance whose read found none, so its entries are never written under
   * NO_GENERATION. Under it, an entry outlived every invalidation whose generation key Redis evicted
   * (a full Redis under an allkeys policy): the key gone, the instance read as never written to, and
   * the list cached before the write was served again, by every replica. Now an evicted generation
   * matches no entry. The generation is claimed (set only while there is none); one another read
   * claimed meanwhile is taken as well (a claim is no write), but an instance written to since this
   * read looked (an invalidation's generation) is left out: its answer may be older than the write.
   */
  private async claimGenerations(
    fresh: ReadonlyArray<{ instance: string; ttlMs: number }>,
    mark: ReadMark,
  ): Promise<Map<string, string>> {
    const ttlByInstance = new Map<string, number>();
    for (const { instance, ttlMs } of fresh) {
      if (mark.generations.get(instance) === NO_GENERATION) ttlByInstance.set(instance, ttlMs);
    }
    const claimed = new Map<string, string>();
    if (ttlByInstance.size === 0) return claimed;
    const claimOne = async (instance: string, ttlMs: number): Promise<void> => {
      let generation: unknown = newClaimedGeneration();
      if (!(await this.store.setIfAbsent(generationKey(instance), generation, ttlMs + INVALIDATION_MEMORY_MS))) {
        generation = await this.store.get<unknown>(generationKey(instance));
      }
      if (!isClaimedGeneration(generation)) return;
      claimed.set(instance, generation);
      this.generationsSeen.set(instance, generation);
    };
    await answerWithinMs(Promise.all([...ttlByInstance].map(([instance, ttlMs]) => claimOne(instance, ttlMs))), READ_CACHE_STORE_WAIT_MS);
    return claimed;
  }

  /** Drops everything cached about one instance, and its account's instance list. */
  invalidateInstance(providerId: string, nativeId: string): Promise<void> {
    return this.invalidateInstances(providerId, [nativeId]);
  }

  /** The same for many instances of one account (a sync), in one store round trip. */
  async invalidateInstances(providerId: string, nativeIds: readonly string[]): Promise<void> {
    if (!this.ttlMs.get(providerId)) return;
    const stamp = ++this.clock;
    const keys = [this.key({ providerId, kind: 'instances', nativeId: '' })];
    const instances = [ReadCache.instanceKey(providerId, '')];
    for (const nativeId of nativeIds) {
      instances.push(ReadCache.instanceKey(providerId, nativeId));
      for (const kind of LIST_KINDS) keys.push(this.key({ providerId, kind, nativeId }));
    }
    for (const instance of instances) this.invalidatedAt.set(instance, stamp);
    if (!this.shared) {
      try {
        await answerWithinMs(this.store.deleteMany(keys), READ_CACHE_STORE_WAIT_MS);
      } catch (error) {
        this.onStoreError(error);
      }
      return;
    }
    // Outlives every entry written under the old generation: read late, then kept cacheTtlMs.
    const generation = newGeneration();
    // This replica's own write: its reads already keep out of older flights.
    for (const instance of instances) this.generationsSeen.set(instance, generation);
    const ttlMs = this.ttlMs.get(providerId) ?? 0;
    const write = async (): Promise<void> => {
      await answerWithinMs(
        Promise.all([
          this.store.setMany(instances.map((instance) => ({ key: generationKey(instance), value: generation, ttlMs: ttlMs + INVALIDATION_MEMORY_MS }))),
          this.store.deleteMany(keys),
        ]),
        READ_CACHE_STORE_WAIT_MS,
      );
    };
    try {
      await write();
    } catch (error) {
      // The write already happened at the provider: its answer must not fail for the cache's sake,
      // and the other replicas must still hear of it once the store answers again.
      this.onStoreError(error);
      this.late.add(instances.join('\u0001'), write, ttlMs);
    }
  }

  private static instanceKeyOf(address: CacheAddress): string {
    return ReadCache.instanceKey(address.providerId, address.nativeId);
  }

  private overtaken(address: CacheAddress, startedAt: number): boolean {
    const invalidated = this.invalidatedAt.get(ReadCache.instanceKey(address.providerId, address.nativeId));
    return invalidated !== undefined && invalidated > startedAt;
  }
}

/**
 * A change of generation that marks no write (claimGenerations): a claim, or a claim expired (it
 * lives cacheTtlMs + 2 min from the first read of an instance never written to). Taken as a write,
 * each expiry made every replica that had read the instance forget its account's reads in flight.
 */
function isClaimOrItsEnd(seen: string, generation: string): boolean {
  return isClaimedGeneration(generation) || (generation === NO_GENERATION && isClaimedGeneration(seen));
}
