import { describe, expect, it } from 'vitest';
import { ReadCache, type CacheAddress } from '../../src/gateway/read-cache.js';
import { RecordingStore } from './recording-store.js';

const address = (providerId: string, kind: string, nativeId: string): CacheAddress => ({ providerId, kind, nativeId });

function setup(ttl: Record<string, number> = { cached: 30_000 }) {
  const store = new RecordingStore();
  const storeErrors: unknown[] = [];
  const cache = new ReadCache(store, new Map(Object.entries(ttl)), (error) => storeErrors.push(error));
  return { store, cache, storeErrors };
}

describe('the read cache', () => {
  it('covers only accounts with a TTL', () => {
    const { cache } = setup({ cached: 30_000, off: 0 });
    expect([cache.covers('cached'), cache.covers('off'), cache.covers('unknown')]).toEqual([true, false, false]);
  });

  it('answers a read with what was cached for that account, instance and list, and nothing for another', async () => {
    const { cache } = setup();
    await cache.setMany([{ address: address('cached', 'backups', 'vm1'), value: ['b1'] }], cache.now());
    expect(await cache.getMany([address('cached', 'backups', 'vm1'), address('cached', 'schedules', 'vm1'), address('cached', 'backups', 'vm2')])).toEqual([
      ['b1'],
      undefined,
      undefined,
    ]);
  });

  it('peeks at a cached list without a promise, for covered accounts only', async () => {
    const { cache, store } = setup({ cached: 30_000, off: 0 });
    await cache.setMany([{ address: address('cached', 'backups', 'vm1'), value: ['b1'] }], cache.now());
    // Put there behind the cache's back: an account without a TTL is never read, whatever the store holds.
    await store.setMany([{ key: 'source/off:backups:vm1', value: ['x'], ttlMs: 30_000 }]);
    expect(cache.peek(address('cached', 'backups', 'vm1'))).toEqual(['b1']);
    expect(cache.peek(address('cached', 'schedules', 'vm1'))).toBeUndefined();
    expect(cache.peek(address('off', 'backups', 'vm1'))).toBeUndefined();
    expect(store.calls.filter((call) => call.method === 'peek')).toEqual([
      { method: 'peek', keys: ['source/cached:backups:vm1'] },
      { method: 'peek', keys: ['source/cached:schedules:vm1'] },
    ]);
    await cache.invalidateInstance('cached', 'vm1');
    expect(cache.peek(address('cached', 'backups', 'vm1'))).toBeUndefined();
  });

  it("peeks at an instance's list by a key remembered per instance: what the store holds now, under this cache's build, for that account and kind", async () => {
    const store = new RecordingStore();
    const ttl = new Map([['cached', 30_000], ['other', 30_000]]);
    const cache = new ReadCache(store, ttl);
    const nextBuild = new ReadCache(store, ttl, undefined, undefined, 'next-build');
    const vm1 = { providerId: 'cached', nativeId: 'vm1' };
    await cache.setMany([{ address: address('cached', 'backups', 'vm1'), value: ['b1'] }], cache.now());
    expect(cache.peekList(vm1, 'backups')).toEqual(['b1']);
    // The remembered key reads the entry as it is now, never the list it first found.
    await cache.setMany([{ address: address('cached', 'backups', 'vm1'), value: ['b2'] }], cache.now());
    expect(cache.peekList(vm1, 'backups')).toEqual(['b2']);
    // Another kind of the same instance, another build, another account with the same native id: their own keys.
    await cache.setMany([{ address: address('cached', 'schedules', 'vm1'), value: ['s1'] }], cache.now());
    expect(cache.peekList(vm1, 'schedules')).toEqual(['s1']);
    expect(nextBuild.peekList(vm1, 'backups')).toBeUndefined();
    await nextBuild.setMany([{ address: address('cached', 'backups', 'vm1'), value: ['n1'] }], nextBuild.now());
    expect(nextBuild.peekList(vm1, 'backups')).toEqual(['n1']);
    expect(cache.peekList(vm1, 'backups')).toEqual(['b2']);
    expect(cache.peekList({ providerId: 'other', nativeId: 'vm1' }, 'backups')).toBeUndefined();
    await cache.invalidateInstance('cached', 'vm1');
    expect(cache.peekList(vm1, 'backups')).toBeUndefined();
  });

  it('peeks at nothing on a store that needs a round trip (Redis), and a failing peek is a miss, reported', async () => {
    const { cache, store, storeErrors } = setup();
    await cache.setMany([{ address: address('cached', 'backups', 'vm1'), value: ['b1'] }], cache.now());
    store.failing = true;
    expect(cache.peek(address('cached', 'backups', 'vm1'))).toBeUndefined();
    expect(storeErrors).toHaveLength(1);
    store.failing = false;
    Object.defineProperty(store, 'peek', { value: undefined });
    expect(cache.peek(address('cached', 'backups', 'vm1'))).toBeUndefined();
    expect(await cache.getMany([address('cached', 'backups', 'vm1')])).toEqual([['b1']]);
  });

  it("peeks at an instance's list as `peek` does: nothing for an account without a TTL, nothing and no error on a store that needs a round trip, a failing peek a miss reported", async () => {
    const { cache, store, storeErrors } = setup({ cached: 30_000, off: 0 });
    await cache.setMany([{ address: address('cached', 'backups', 'vm1'), value: ['b1'] }], cache.now());
    // Put there behind the cache's back: an account without a TTL is never read, whatever the store holds.
    await store.setMany([{ key: 'source/off:backups:vm1', value: ['x'], ttlMs: 30_000 }]);
    expect(cache.peekList({ providerId: 'off', nativeId: 'vm1' }, 'backups')).toBeUndefined();
    store.failing = true;
    expect(cache.peekList({ providerId: 'cached', nativeId: 'vm1' }, 'backups')).toBeUndefined();
    expect(storeErrors).toHaveLength(1);
    store.failing = false;
    Object.defineProperty(store, 'peek', { value: undefined });
    expect(cache.peekList({ providerId: 'cached', nativeId: 'vm1' }, 'backups')).toBeUndefined();
    expect(storeErrors).toHaveLength(1);
  });

  it('keeps entries for the account TTL', async () => {
    const { cache, store } = setup({ cached: 12_345 });
    await cache.setMany([{ address: address('cached', 'backups', 'vm1'), value: 1 }], cache.now());
    expect(store.calls).toEqual([{ method: 'setMany', keys: ['source/cached:backups:vm1'], ttlMs: 12_345 }]);
  });

  it('neither reads nor writes the store for an account without a TTL, keeping the positions of the rest', async () => {
    const { cache, store } = setup({ cached: 30_000, off: 0 });
    await cache.setMany([{ address: address('off', 'backups', 'vm1'), value: 'x' }], cache.now());
    expect(store.calls).toEqual([]);
    expect(await cache.getMany([address('off', 'backups', 'vm1')])).toEqual([undefined]);
    expect(store.calls).toEqual([]);
    await cache.setMany([{ address: address('cached', 'backups', 'vm1'), value: 'y' }], cache.now());
    expect(await cache.getMany([address('off', 'backups', 'vm1'), address('cached', 'backups', 'vm1')])).toEqual([undefined, 'y']);
    expect(store.calls.at(-1)).toEqual({ method: 'getMany', keys: ['source/cached:backups:vm1'] });
    await cache.invalidateInstance('off', 'vm1');
    expect(store.calls.filter((call) => call.method === 'deleteMany')).toEqual([]);
  });

  it('a mutation drops backups, schedules and definitions of its instance and the account instance list, nothing else', async () => {
    const { cache } = setup({ cached: 30_000, other: 30_000 });
    const kept = [address('cached', 'backups', 'vm2'), address('other', 'backups', 'vm1')];
    const dropped = [address('cached', 'backups', 'vm1'), address('cached', 'schedules', 'vm1'), address('cached', 'definitions', 'vm1'), address('cached', 'instances', '')];
    await cache.setMany([...kept, ...dropped].map((where) => ({ address: where, value: where.kind })), cache.now());
    await cache.invalidateInstance('cached', 'vm1');
    expect(await cache.getMany(dropped)).toEqual([undefined, undefined, undefined, undefined]);
    expect(await cache.getMany(kept)).toEqual(['backups', 'backups']);
  });

  it('drops many instances in one store round trip', async () => {
    const { cache, store } = setup();
    await cache.invalidateInstances('cached', ['a', 'b']);
    expect(store.calls).toEqual([
      { method: 'deleteMany', keys: ['source/cached:instances:', 'source/cached:backups:a', 'source/cached:schedules:a', 'source/cached:definitions:a', 'source/cached:backups:b', 'source/cached:schedules:b', 'source/cached:definitions:b'] },
    ]);
  });

  it('does not cache an answer to a read a mutation overtook, but does cache reads started after it', async () => {
    const { cache, store } = setup();
    const vm1 = address('cached', 'backups', 'vm1');
    const startedBefore = cache.now();
    await cache.invalidateInstance('cached', 'vm1');
    const callsBefore = store.calls.length;
    await cache.setMany([{ address: vm1, value: 'stale' }], startedBefore);
    // Nothing left to cache: no store round trip at all.
    expect(store.calls.length).toBe(callsBefore);
    expect(await cache.getMany([vm1])).toEqual([undefined]);
    const startedAfter = cache.now();
    expect(startedAfter.clock).toBeGreaterThan(startedBefore.clock);
    await cache.setMany([{ address: vm1, value: 'fresh' }], startedAfter);
    expect(await cache.getMany([vm1])).toEqual(['fresh']);
  });

  it('an invalidation overtakes the instance list of its account, and no other instance', async () => {
    const { cache } = setup();
    const startedBefore = cache.now();
    await cache.invalidateInstance('cached', 'vm1');
    await cache.setMany(
      [
        { address: address('cached', 'instances', ''), value: 'old list' },
        { address: address('cached', 'backups', 'vm2'), value: 'vm2 backups' },
      ],
      startedBefore,
    );
    expect(await cache.getMany([address('cached', 'instances', ''), address('cached', 'backups', 'vm2')])).toEqual([undefined, 'vm2 backups']);
  });

  it('a failing store costs the cache, never the read or the write: misses, and it is told', async () => {
    const { cache, store, storeErrors } = setup();
    await cache.setMany([{ address: address('cached', 'backups', 'vm1'), value: 'x' }], cache.now());
    store.failing = true;
    expect(await cache.getMany([address('cached', 'backups', 'vm1')])).toEqual([undefined]);
    await expect(cache.setMany([{ address: address('cached', 'backups', 'vm2'), value: 'y' }], cache.now())).resolves.toBeUndefined();
    await expect(cache.invalidateInstance('cached', 'vm1')).resolves.toBeUndefined();
    expect(storeErrors).toHaveLength(3);
    expect(storeErrors.every((error) => error instanceof Error && error.message === 'store unreachable')).toBe(true);
  });

  it('works without an error listener', async () => {
    const store = new RecordingStore();
    store.failing = true;
    const cache = new ReadCache(store, new Map([['cached', 1000]]));
    expect(await cache.getMany([address('cached', 'backups', 'vm1')])).toEqual([undefined]);
    await expect(cache.invalidateInstance('cached', 'vm1')).resolves.toBeUndefined();
  });
});
