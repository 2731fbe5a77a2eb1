import type { RedisConnectionState } from './redis-connection-state.js';

/**
 * Shared state (idempotency records, the cross-request cache) behind one
 * interface: process memory by default, Redis when REDIS_URL is set, so
 * replicas behind a load balancer agree.
 */
/** One entry of `setMany`. */
export interface StoreEntry {
  key: string;
  value: unknown;
  ttlMs: number;
  /** The value's size in memory as its caller estimates it; only a memory namespace given `maxBytes` reads it. */
  bytes?: number;
}

/** How much a memory namespace keeps: Redis ignores both (its maxmemory bounds it). */
export interface NamespaceBounds {
  maxEntries: number;
  /**
   * Bytes of values, as `setMany` is told them; no byte bound when absent. Each entry counts at
   * least maxBytes / maxEntries (one not told its bytes, that much), so neither bound is passed.
   */
  maxBytes?: number;
}

export interface KeyValueStore {
  /** The records go with the process (memory, no REDIS_URL): a restart forgets them. */
  readonly forgetsOnRestart?: boolean;
  get<T>(key: string): Promise<T | undefined>;
  /**
   * The value at `key` now, without a promise, where the store holds values
   * in this process (memory); absent on stores that need a round trip
   * (Redis). A warm dashboard reads hundreds of cached lists: a promise for
   * each was about a sixth of its CPU.
   */
  peek?<T>(key: string): T | undefined;
  /** Many keys in one round trip (one MGET on Redis); undefined where absent. */
  getMany<T>(keys: readonly string[]): Promise<Array<T | undefined>>;
  set<T>(key: string, value: T, ttlMs: number): Promise<void>;
  /**
   * Many entries in one round trip (one pipeline on Redis), each with its own TTL. `bytes`: what
   * the caller estimates the value holds in memory, counted by a store bounded by bytes (a memory
   * namespace given `maxBytes`); the others ignore it.
   */
  setMany(entries: ReadonlyArray<StoreEntry>): Promise<void>;
  /**
   * `getMany` in two steps, where the store decodes what it answers (Redis): the promise settles
   * once the store has answered, and the function it gives decodes (a long value a piece at a
   * time, stored-json.ts). A caller that bounds its wait for the store bounds the first step
   * alone (ReadCache): bounding both, the turns a long list's decoding gives to other work ran
   * out the 250 ms, and a list of 30,000 rows, served before, was a miss on a busy replica.
   */
  getManyAnswered?<T>(keys: readonly string[]): Promise<() => Promise<Array<T | undefined>>>;
  /** `setMany` in two steps, likewise: the promise settles once the values are encoded, and the function it gives sends them. */
  setManyPrepared?(entries: ReadonlyArray<StoreEntry>): Promise<() => Promise<void>>;
  /** Sets only if absent; true when this caller set it (an atomic claim). */
  setIfAbsent<T>(key: string, value: T, ttlMs: number): Promise<boolean>;
  /**
   * As setIfAbsent, and only while `below` holds something, in one atomic step (one script on
   * Redis): the key is never set above a key that is free at that moment. A look at `below` apart
   * from the set would miss a delete between the two.
   */
  setIfAbsentAbove<T>(key: string, below: string, value: T, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /**
   * Deletes `key` only while `guard` holds nothing and `key` still holds
   * `holding` (compared as stored), in one atomic step (one script on Redis):
   * a guard set between a separate look and the delete would be missed, and
   * a delete sent again after its answer was lost (ioredis does so on
   * reconnecting) would delete what another caller has put there since.
   * True when `key` was deleted.
   */
  deleteUnlessHeld<T>(key: string, guard: string, holding: T): Promise<boolean>;
  /**
   * Deletes `key` only while it holds `value` (compared as stored), in one
   * step. Sent right after a call whose answer never came, it runs after
   * that call wherever the store runs calls in order (one Redis connection),
   * so it undoes that call's write if it landed, and nothing else.
   */
  deleteIfEqual<T>(key: string, value: T): Promise<void>;
  /**
   * Sets `key` to `value` (for `ttlMs`) only while it holds `holding`
   * (compared as stored), in one step; true when it was set, or holds
   * `value` already: ioredis sends the call again once reconnected when its
   * answer was lost, and the second run finds the first one's write (false
   * then, the caller skipped what follows a replace). For a value whose
   * write went unanswered: changed only if it is the caller's own, never
   * another caller's that took the key meanwhile.
   */
  replaceIfEqual<T>(key: string, holding: T, value: unknown, ttlMs: number): Promise<boolean>;
  /**
   * Gives `key` `ttlMs` more from now, only while it is there (PEXPIRE on Redis, whose own clock
   * ends it): true when it was. A key that has run out stays gone: nothing brings it back.
   */
  extendIfPresent(key: string, ttlMs: number): Promise<boolean>;
  /** Many keys in one round trip (one DEL on Redis). */
  deleteMany(keys: readonly string[]): Promise<void>;
  /**
   * A store of its own for one kind of state (`idem`, `cache`): its keys
   * apart from every other namespace's and, in memory, its own LRU of
   * `maxEntries`, so one kind's traffic can never evict another's entries.
   * In Redis a key prefix on the same connection (bounded by Redis's
   * maxmemory; see docs/configuration.md). The parent's close() closes it too.
   */
  namespace(name: string, options: NamespaceBounds): KeyValueStore;
  /** Bytes held as `setMany` was told them, where a memory namespace has a byte bound (`maxBytes`); absent elsewhere. */
  heldBytes?(): number;
  /**
   * Redis's connection and this store's key prefix, for the limits replicas count together
   * (src/state/redis-counters.ts); absent in memory, where a process counts alone.
   */
  sharedConnection?(): { client: object; prefix: string };
  /** Its own Redis connection's state (Redis only; a namespace, which shares its parent's, has none). */
  connectionStates?(): RedisConnectionState[];
  /** `deadline` (ms since the epoch): when a connection that has not closed by then is dropped (see closeRedis). */
  close(deadline?: number): Promise<void>;
}
