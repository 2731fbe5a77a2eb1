import { afterEach, describe, expect, it, vi } from 'vitest';
import { READ_CACHE_STORE_WAIT_MS, ReadCache, type CacheAddress } from '../../src/gateway/read-cache.js';
import { NO_GENERATION, cachedEntry, generationKey } from '../../src/gateway/cache-generations.js';
import type { StoreClock } from '../../src/state/memory-store.js';
import { StoreTimeout } from '../../src/state/bounded-call.js';
import type { KeyValueStore } from '../../src/state/store.js';
import { RecordingStore } from './recording-store.js';

// The shared-store path of the read cache: a store without `peek` (Redis) shared by replicas,
// each replica a ReadCache of its own over the one store.

const TTL_MS = 30_000;
const address = (providerId: string, kind: string, nativeId: string): CacheAddress => ({ providerId, kind, nativeId });
const vm1 = address('cached', 'backups', 'vm1');
const vm2 = address('cached', 'backups', 'vm2');
/**
 * A list as the cache holds it: records of the account it is filed under, each with every field
 * the cache checks (cached-record-shape.ts) of an instance, a backup and a schedule, so one list serves every kind.
 */
const list = (...nativeIds: string[]) =>
  nativeIds.map((nativeId) => ({
    providerId: 'cached',
    nativeId,
    instanceNativeId: 'vm',
    keyExtra: [],
    name: nativeId,
    status: 'AVAILABLE',
    origin: null,
    mode: null,
    createdAt: null,
    sizeBytes: null,
    protected: false,
    diskId: 'disk-1',
    minDiskBytes: null,
    minRamBytes: null,
    osDistro: null,
    osVersion: null,
    region: null,
    note: null,
    definitionName: null,
    state: null,
    cron: '0 3 * * *',
    timezone: 'UTC',
    enabled: true,
    cronDialect: 'vixie',
    raw: {},
  }));

/** A clock the test moves: entries age without the test waiting. */
function manualClock(): StoreClock & { advance(ms: number): void } {
  let now = 1_000;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

/** The memory store without `peek`: what the read cache takes for a store shared by replicas (Redis). */
class SharedStore extends RecordingStore {
  /** While set, no call answers (a Redis that stopped answering, its connection still up). */
  silent = false;

  constructor(clock?: StoreClock) {
    super(1000, clock);
    Object.defineProperty(this, 'peek', { value: undefined });
  }

  private hold<T>(call: () => Promise<T>): Promise<T> {
    return this.silent ? new Promise<T>(() => {}) : call();
  }

  /** Values come back as copies, as they do from Redis (decoded from text): never the object written. */
  override getMany<T>(keys: readonly string[]): Promise<Array<T | undefined>> {
    return this.hold(async () => structuredClone(await super.getMany<T>(keys)));
  }

  override setMany(entries: ReadonlyArray<{ key: string; value: unknown; ttlMs: number }>): Promise<void> {
    return this.hold(() => super.setMany(entries));
  }

  override deleteMany(keys: readonly string[]): Promise<void> {
    return this.hold(() => super.deleteMany(keys));
  }
}

function replicas(store: KeyValueStore, ttl: Record<string, number> = { cached: TTL_MS }) {
  const errors: unknown[] = [];
  const replica = () => new ReadCache(store, new Map(Object.entries(ttl)), (error) => errors.push(error));
  return { here: replica(), there: replica(), errors };
}

describe('the read cache on a store shared by replicas', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('serves what a read cached, to this replica and the others, for that account, instance and list only', async () => {
    const store = new SharedStore();
    const { here, there } = replicas(store, { cached: TTL_MS, off: 0 });
    const mark = here.now();
    expect(await here.getMany([vm1], mark)).toEqual([undefined]);
    await here.setMany([{ address: vm1, value: list('b1') }], mark);
    expect(await here.getMany([vm1])).toEqual([list('b1')]);
    expect(await there.getMany([address('off', 'backups', 'vm1'), vm1, vm2, address('cached', 'schedules', 'vm1')])).toEqual([undefined, list('b1'), undefined, undefined]);
    expect(here.peek(vm1)).toBeUndefined();
  });

  it('answers a read of many instances in one round trip, each by its own generation', async () => {
    const store = new SharedStore();
    const { here, there } = replicas(store);
    const schedules1 = address('cached', 'schedules', 'vm1');
    await here.setMany(
      [
        { address: vm1, value: list('b1') },
        { address: schedules1, value: list('s1') },
        { address: vm2, value: list('b2') },
      ],
      here.now(),
    );
    const before = store.calls.length;
    expect(await there.getMany([vm1, vm2, schedules1])).toEqual([list('b1'), list('b2'), list('s1')]);
    expect(store.calls.length).toBe(before + 1);
    // Another replica's write of vm2 (a new generation for vm2 alone) leaves vm1 served.
    const stale = here.now();
    expect(await here.getMany([vm1, vm2], stale)).toEqual([list('b1'), list('b2')]);
    await there.invalidateInstance('cached', 'vm2');
    await here.setMany([{ address: vm2, value: list('b2', 'old') }], stale);
    expect(await here.getMany([vm2, vm1, schedules1])).toEqual([undefined, list('b1'), list('s1')]);
  });

  it('does not serve an answer to a read that started before another replica invalidated the instance', async () => {
    const store = new SharedStore();
    const { here, there } = replicas(store);
    const mark = here.now();
    expect(await here.getMany([vm1], mark)).toEqual([undefined]);
    await there.invalidateInstance('cached', 'vm1');
    // Written late, under the generation the read started with: never served, here or there.
    await here.setMany([{ address: vm1, value: list('before the write') }], mark);
    expect(await here.getMany([vm1])).toEqual([undefined]);
    expect(await there.getMany([vm1])).toEqual([undefined]);
    // A read started after the invalidation is cached and served.
    const after = here.now();
    expect(await here.getMany([vm1], after)).toEqual([undefined]);
    await here.setMany([{ address: vm1, value: list('after the write') }], after);
    expect(await there.getMany([vm1])).toEqual([list('after the write')]);
  });

  it('keeps the generation a read first saw, even when it looks again after an invalidation', async () => {
    const store = new SharedStore();
    const { here, there } = replicas(store);
    const mark = here.now();
    await here.getMany([vm1], mark);
    await there.invalidateInstance('cached', 'vm1');
    expect(await here.getMany([vm1], mark)).toEqual([undefined]);
    await here.setMany([{ address: vm1, value: list('stale') }], mark);
    expect(await there.getMany([vm1])).toEqual([undefined]);
  });

  it('writes a read that did not look first under the generation of the moment it is written, in one look for its instances', async () => {
    const store = new SharedStore();
    const { here, there } = replicas(store);
    await there.invalidateInstances('cached', ['vm1', 'vm2']);
    const before = store.calls.length;
    await here.setMany(
      [
        { address: vm1, value: list('b1') },
        { address: address('cached', 'schedules', 'vm1'), value: list('s1') },
        { address: vm2, value: list('b2') },
      ],
      here.now(),
    );
    expect(store.calls.slice(before).map((call) => call.method)).toEqual(['getMany', 'setMany']);
    expect(store.calls[before]?.keys).toEqual([generationKey('cached\u0000vm1'), generationKey('cached\u0000vm2')]);
    expect(await there.getMany([vm1, vm2, address('cached', 'schedules', 'vm1')])).toEqual([list('b1'), list('b2'), list('s1')]);
  });

  it('writes a read that looked first with no second look, the entry and its generation for the account TTL', async () => {
    const clock = manualClock();
    const store = new SharedStore(clock);
    const { here, there } = replicas(store);
    await there.invalidateInstance('cached', 'vm1');
    const mark = here.now();
    await here.getMany([vm1], mark);
    const before = store.calls.length;
    await here.setMany([{ address: vm1, value: list('b1') }], mark);
    // One key holding the list and its generation: Redis cannot keep one without the other.
    expect(store.calls.slice(before)).toEqual([{ method: 'setMany', keys: ['source/cached:backups:vm1'], ttlMs: TTL_MS }]);
    clock.advance(TTL_MS - 1);
    expect(await there.getMany([vm1])).toEqual([list('b1')]);
    clock.advance(2);
    expect(await there.getMany([vm1])).toEqual([undefined]);
  });

  it('serves an entry only under the generation it holds, and drops it at an invalidation', async () => {
    const store = new SharedStore();
    const { here, there } = replicas(store);
    await store.setMany([{ key: 'source/cached:backups:vm1', value: cachedEntry(NO_GENERATION, list('b1')), ttlMs: TTL_MS }]);
    expect(await here.getMany([vm1])).toEqual([list('b1')]);
    await there.invalidateInstance('cached', 'vm1');
    expect(await store.getMany(['source/cached:backups:vm1'])).toEqual([undefined]);
    // Written back late under the generation its read started under: never served.
    await store.setMany([{ key: 'source/cached:backups:vm1', value: cachedEntry(NO_GENERATION, list('b1, later')), ttlMs: TTL_MS }]);
    expect(await here.getMany([vm1])).toEqual([undefined]);
  });

  it('reads a generation of another shape, or an entry holding one, as matching nothing', async () => {
    const store = new SharedStore();
    const { here } = replicas(store);
    await store.setMany([
      { key: 'source/cached:backups:vm1', value: { generation: 42, list: list('b1') }, ttlMs: TTL_MS },
      { key: 'source/cached:backups:vm2', value: cachedEntry(NO_GENERATION, list('b2')), ttlMs: TTL_MS },
      { key: generationKey('cached\u0000vm2'), value: { not: 'a generation' }, ttlMs: TTL_MS },
    ]);
    expect(await here.getMany([vm1, vm2])).toEqual([undefined, undefined]);
  });

  it('keeps caching under a generation of another shape (another writer’s), read as one generation', async () => {
    const store = new SharedStore();
    const { here, there } = replicas(store);
    await store.setMany([{ key: generationKey('cached\u0000vm1'), value: { not: 'a generation' }, ttlMs: TTL_MS }]);
    const mark = here.now();
    expect(await here.getMany([vm1], mark)).toEqual([undefined]);
    await here.setMany([{ address: vm1, value: list('b1') }], mark);
    expect(await there.getMany([vm1])).toEqual([list('b1')]);
    await here.setMany([{ address: vm2, value: list('b2') }], here.now());
    await store.setMany([{ key: generationKey('cached\u0000vm2'), value: [1], ttlMs: TTL_MS }]);
    await here.setMany([{ address: vm2, value: list('b2') }], here.now());
    expect(await there.getMany([vm2])).toEqual([list('b2')]);
  });

  it.each([
    ['an object', { providerId: 'cached', nativeId: 'b1' }],
    ['a list of text', ['b1']],
    ['a list holding null', [null]],
    ['records of another account', [{ providerId: 'other', nativeId: 'b1' }]],
    ['records without a native id', [{ providerId: 'cached', nativeId: 7 }]],
    ['a list with one bad record among good ones', [...list('b1'), { providerId: 'cached' }]],
  ])('reads an entry of another shape (%s) as a miss', async (_name, value) => {
    const store = new SharedStore();
    const { here } = replicas(store);
    await store.setMany([{ key: 'source/cached:backups:vm1', value: cachedEntry(NO_GENERATION, value), ttlMs: TTL_MS }]);
    expect(await here.getMany([vm1])).toEqual([undefined]);
    // A list without its generation (as the builds before kept it): not an entry.
    await store.setMany([{ key: 'source/cached:backups:vm1', value: list('b1'), ttlMs: TTL_MS }]);
    expect(await here.getMany([vm1])).toEqual([undefined]);
    // An empty list is a list: served.
    await store.setMany([{ key: 'source/cached:backups:vm1', value: cachedEntry(NO_GENERATION, []), ttlMs: TTL_MS }]);
    expect(await here.getMany([vm1])).toEqual([[]]);
  });

  it('keeps an invalidation against late writes for the account TTL and the reads in flight after it', async () => {
    const clock = manualClock();
    const store = new SharedStore(clock);
    const { here, there } = replicas(store);
    const mark = here.now();
    await here.getMany([vm1], mark);
    await there.invalidateInstance('cached', 'vm1');
    // The read in flight answers 100 s later; its entry lives TTL_MS from then.
    clock.advance(100_000);
    await here.setMany([{ address: vm1, value: list('stale') }], mark);
    clock.advance(TTL_MS - 1);
    expect(await there.getMany([vm1])).toEqual([undefined]);
  });

  it('drops the instance list of the account too, and no other instance, for every replica', async () => {
    const store = new SharedStore();
    const { here, there } = replicas(store);
    const instances = address('cached', 'instances', '');
    const mark = here.now();
    await here.setMany(
      [
        { address: instances, value: list('vm1', 'vm2') },
        { address: vm2, value: list('b2') },
      ],
      mark,
    );
    const stale = here.now();
    expect(await here.getMany([instances, vm2], stale)).toEqual([list('vm1', 'vm2'), list('b2')]);
    await there.invalidateInstances('cached', ['vm1']);
    expect(await here.getMany([instances, vm2])).toEqual([undefined, list('b2')]);
    await here.setMany([{ address: instances, value: list('vm1') }], stale);
    expect(await here.getMany([instances])).toEqual([undefined]);
  });

  it('a store that does not answer within the wait is a miss, a write not kept, an invalidation answered: never a hang', async () => {
    vi.useFakeTimers();
    const store = new SharedStore();
    const { here, errors } = replicas(store);
    await here.setMany([{ address: vm1, value: list('b1') }], here.now());
    store.silent = true;
    const settled = async <T>(call: Promise<T>) => {
      let done = false;
      void call.finally(() => (done = true));
      await vi.advanceTimersByTimeAsync(READ_CACHE_STORE_WAIT_MS - 1);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(done).toBe(true);
      return call;
    };
    expect(await settled(here.getMany([vm1], here.now()))).toEqual([undefined]);
    // Both the look for the generation and the write wait at most that long each.
    await settled(here.setMany([{ address: vm2, value: list('b2') }], here.now()));
    const looked = here.now();
    store.silent = false;
    await here.getMany([vm2], looked);
    store.silent = true;
    await settled(here.setMany([{ address: vm2, value: list('b2') }], looked));
    await settled(here.invalidateInstance('cached', 'vm2'));
    expect(errors).toHaveLength(4);
    expect(errors.every((error) => error instanceof StoreTimeout)).toBe(true);
  });

  it('does not cache the answer of a read whose first look failed: the generation it started under is unknown', async () => {
    const store = new SharedStore();
    const { here, there } = replicas(store);
    const mark = here.now();
    store.failing = true;
    expect(await here.getMany([vm1], mark)).toEqual([undefined]);
    store.failing = false;
    // Another replica's write lands while the read is at the provider; the read's answer is older.
    await there.invalidateInstance('cached', 'vm1');
    await here.setMany([{ address: vm1, value: list('before the write') }], mark);
    expect(await there.getMany([vm1])).toEqual([undefined]);
    // An instance the failed look did not name is still written under the generation of now.
    await here.setMany([{ address: vm2, value: list('b2') }], mark);
    expect(await there.getMany([vm2])).toEqual([list('b2')]);
  });

  it('tells of the account of an instance whose generation changed since its last look, once, and not of its own writes', async () => {
    const store = new SharedStore();
    const told: string[] = [];
    const here = new ReadCache(store, new Map([['cached', TTL_MS], ['other', TTL_MS]]), () => {}, (providerId) => told.push(providerId));
    const { there } = replicas(store, { cached: TTL_MS, other: TTL_MS });
    const otherVm = address('other', 'backups', 'vm1');
    // A first look knows of no earlier generation: nothing to tell.
    await there.invalidateInstance('cached', 'vm1');
    await here.getMany([vm1, vm2, otherVm]);
    expect(told).toEqual([]);
    await there.invalidateInstance('cached', 'vm1');
    await there.invalidateInstance('cached', 'vm2');
    await here.getMany([vm1, vm2, otherVm]);
    expect(told).toEqual(['cached']);
    await here.getMany([vm1, vm2, otherVm]);
    expect(told).toEqual(['cached']);
    await here.invalidateInstance('other', 'vm1');
    await here.getMany([vm1, vm2, otherVm]);
    expect(told).toEqual(['cached']);
  });

  it('a failing store costs the cache, never the read: a miss, and it is told', async () => {
    const store = new SharedStore();
    const { here, errors } = replicas(store);
    await here.setMany([{ address: vm1, value: list('b1') }], here.now());
    store.failing = true;
    expect(await here.getMany([vm1], here.now())).toEqual([undefined]);
    await expect(here.setMany([{ address: vm2, value: list('b2') }], here.now())).resolves.toBeUndefined();
    expect(errors).toHaveLength(2);
    store.failing = false;
    expect(await here.getMany([vm1, vm2])).toEqual([list('b1'), undefined]);
  });

  it('sends an invalidation the store did not take again until it lands, for the other replicas', async () => {
    vi.useFakeTimers();
    const store = new SharedStore();
    const { here, there, errors } = replicas(store);
    const mark = there.now();
    await there.getMany([vm1], mark);
    await there.setMany([{ address: vm1, value: list('b1') }], mark);
    const stale = there.now();
    await there.getMany([vm1], stale);
    store.failing = true;
    await expect(here.invalidateInstance('cached', 'vm1')).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(errors).toHaveLength(1);
    store.failing = false;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await there.getMany([vm1])).toEqual([undefined]);
    await there.setMany([{ address: vm1, value: list('stale') }], stale);
    expect(await there.getMany([vm1])).toEqual([undefined]);
  });

  it('keeps sending a late invalidation for as long as the entries it drops can live, then gives it up', async () => {
    vi.useFakeTimers();
    const store = new SharedStore();
    const { here } = replicas(store, { cached: 5_000 });
    store.failing = true;
    await here.invalidateInstance('cached', 'vm1');
    await vi.advanceTimersByTimeAsync(4_000);
    store.failing = false;
    const before = store.calls.length;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(store.calls.length).toBeGreaterThan(before);
    // Given up past the TTL: nothing is sent any more.
    store.failing = true;
    await here.invalidateInstance('cached', 'vm2');
    await vi.advanceTimersByTimeAsync(6_000);
    const after = store.calls.length;
    store.failing = false;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(store.calls.length).toBe(after);
  });
});
