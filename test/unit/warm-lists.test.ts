import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { CacheInvalidation } from '../../src/gateway/cache-invalidation.js';
import type { Instance } from '../../src/domain/types.js';
import { ReadCache } from '../../src/gateway/read-cache.js';
import { RequestLoaders, loaderKey } from '../../src/gateway/loaders.js';
import type { ProviderAdapter } from '../../src/providers/adapter.js';
import { UNSCOPED } from '../../src/upstream/scope.js';
import { RecordingStore } from './recording-store.js';

const vm1 = { providerId: 'cached', nativeId: 'vm1' };
const vm1Key = loaderKey('cached', 'vm1');

/** Loaders over a read cache holding backups ['b1'] for vm1; any upstream read fails the test. */
async function setup(withCache = true) {
  const store = new RecordingStore();
  const cache = new ReadCache(store, new Map([['cached', 30_000]]));
  await cache.setMany([{ address: { providerId: 'cached', kind: 'backups', nativeId: 'vm1' }, value: ['b1'] }], cache.now());
  const adapterOf = (): ProviderAdapter => {
    throw new Error('no upstream read expected');
  };
  const loaders = new RequestLoaders(adapterOf, { scope: UNSCOPED, batch: true, cache: withCache ? cache : undefined });
  return { store, cache, loaders };
}


describe('warm lists (read from the read cache without a promise)', () => {
  it('serves a cached list as it is, and a later load in the request answers the same without another store read', async () => {
    const { store, cache, loaders } = await setup();
    const served = loaders.warmList<string>('backups', vm1);
    expect(served).toEqual(['b1']);
    // The cache changes under the request: what the request was served, it keeps.
    await cache.setMany([{ address: { providerId: 'cached', kind: 'backups', nativeId: 'vm1' }, value: ['b2'] }], cache.now());
    store.calls.length = 0;
    expect(await loaders.backups.load(vm1Key)).toBe(served);
    expect(loaders.warmList('backups', vm1)).toBeUndefined();
    expect(store.calls).toEqual([]);
  });

  it('leaves a key the request already loaded to its loader, and misses where nothing is cached', async () => {
    const { cache, loaders } = await setup();
    const loaded = await loaders.backups.load(vm1Key);
    await cache.setMany([{ address: { providerId: 'cached', kind: 'backups', nativeId: 'vm1' }, value: ['b2'] }], cache.now());
    expect(loaders.warmList('backups', vm1)).toBeUndefined();
    expect(await loaders.backups.load(vm1Key)).toBe(loaded);
    expect(loaders.warmList('schedules', vm1)).toBeUndefined();
    expect(loaders.warmList('backups', { providerId: 'cached', nativeId: 'vm2' })).toBeUndefined();
  });

  it('serves the cache again once the request forgets the instance (after a mutation on it)', async () => {
    const { cache, loaders } = await setup();
    expect(loaders.warmList('backups', vm1)).toEqual(['b1']);
    await cache.setMany([{ address: { providerId: 'cached', kind: 'backups', nativeId: 'vm1' }, value: ['b2'] }], cache.now());
    loaders.forgetInstance('cached', 'vm1');
    expect(loaders.warmList('backups', vm1)).toEqual(['b2']);
  });

  it('serves the cache again once the request forgets every list (after a sync)', async () => {
    const { cache, loaders } = await setup();
    expect(loaders.warmList('backups', vm1)).toEqual(['b1']);
    await cache.setMany([{ address: { providerId: 'cached', kind: 'backups', nativeId: 'vm1' }, value: ['b2'] }], cache.now());
    loaders.forgetAllLists();
    expect(loaders.warmList('backups', vm1)).toEqual(['b2']);
  });

  it('leaves a key that nothing served and the cache does not hold to the provider', async () => {
    const cache = new ReadCache(new RecordingStore(), new Map([['cached', 30_000]]));
    const asked: string[][] = [];
    const listBackups = async (ids: readonly string[]) => {
      asked.push([...ids]);
      return ids.map((id) => [`fresh-${id}`]);
    };
    const adapter = { account: { id: 'cached' }, listBackups } as unknown as ProviderAdapter;
    const loaders = new RequestLoaders(() => adapter, { scope: UNSCOPED, batch: true, cache });
    expect(loaders.warmList('backups', { providerId: 'cached', nativeId: 'vm2' })).toBeUndefined();
    expect(await loaders.backups.load(loaderKey('cached', 'vm2'))).toEqual(['fresh-vm2']);
    expect(asked).toEqual([['vm2']]);
  });

  it('serves none of the lists of an account while a hold is on it (a sync dropping its entries), and serves again once released', async () => {
    const { loaders } = await setup();
    const release = loaders.holdWarmLists('cached');
    const second = loaders.holdWarmLists('cached');
    expect(loaders.warmList('backups', vm1)).toBeUndefined();
    release();
    release();
    expect(loaders.warmList('backups', vm1)).toBeUndefined();
    second();
    expect(loaders.warmList('backups', vm1)).toEqual(['b1']);
  });

  it('serves none of the lists of an account that a sync is dropping, while it lists the instances to drop', async () => {
    const { cache, loaders } = await setup();
    let listed: (instances: Instance[]) => void = () => {};
    let askedFor: () => void = () => {};
    const asked = new Promise<void>((resolve) => (askedFor = resolve));
    const listInstances = () =>
      new Promise<Instance[]>((resolve) => {
        listed = resolve;
        askedFor();
      });
    const adapter = { account: { id: 'cached' }, listInstances } as unknown as ProviderAdapter;
    const invalidation = new CacheInvalidation(loaders, cache, pino({ level: 'silent' }), () => adapter);
    const forgetting = invalidation.forgetAccount(adapter);
    await asked;
    // The account's instances are being listed: its cached lists are stale, though still in the cache.
    expect(cache.peek({ providerId: 'cached', kind: 'backups', nativeId: 'vm1' })).toEqual(['b1']);
    expect(loaders.warmList('backups', vm1)).toBeUndefined();
    listed([{ providerId: 'cached', nativeId: 'vm1' } as Instance]);
    await forgetting;
    expect(cache.peek({ providerId: 'cached', kind: 'backups', nativeId: 'vm1' })).toBeUndefined();
    await cache.setMany([{ address: { providerId: 'cached', kind: 'backups', nativeId: 'vm1' }, value: ['b3'] }], cache.now());
    expect(loaders.warmList('backups', vm1)).toEqual(['b3']);
  });

  it('lists a cached instance list with each id once, every request, and a newer cached list as it is now', async () => {
    const cache = new ReadCache(new RecordingStore(), new Map([['cached', 30_000]]));
    const adapter = {
      account: { id: 'cached' },
      listInstances: () => {
        throw new Error('no upstream read expected');
      },
    } as unknown as ProviderAdapter;
    const vm = (nativeId: string, name: string) => ({ providerId: 'cached', nativeId, name }) as Instance;
    const listed = async () => (await new RequestLoaders(() => adapter, { scope: UNSCOPED, batch: true, cache }).instanceList(adapter)).map((instance) => instance.name);
    // Another writer's entry may repeat an id: the first of each is kept.
    await cache.setMany([{ address: { providerId: 'cached', kind: 'instances', nativeId: '' }, value: [vm('vm1', 'first'), vm('vm1', 'again'), vm('vm2', 'two')] }], cache.now());
    expect(await listed()).toEqual(['first', 'two']);
    expect(await listed()).toEqual(['first', 'two']);
    await cache.setMany([{ address: { providerId: 'cached', kind: 'instances', nativeId: '' }, value: [vm('vm3', 'three'), vm('vm1', 'renamed'), vm('vm3', 'again')] }], cache.now());
    expect(await listed()).toEqual(['three', 'renamed']);
  });

  it('serves nothing without a read cache', async () => {
    const { loaders } = await setup(false);
    expect(loaders.warmList('backups', vm1)).toBeUndefined();
  });
});
