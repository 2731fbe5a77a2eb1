import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/state/memory-store.js';
import { RedisStore } from '../../src/state/redis-store.js';
import type { KeyValueStore } from '../../src/state/store.js';
import { expectPlacesGivenUpAsCreateOrderDoes, expectReplacedOnlyWhileHeld, expectSetOnlyAboveHeld } from '../helpers/give-up-places.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

const redis = await testRedis();
afterAll(() => redis.stop());

const stores: Array<readonly [string, () => KeyValueStore]> = [['memory', () => new MemoryStore()]];
if (redis.url) stores.push(['redis', () => new RedisStore(redis.url as string, `backup-graph-test:${randomUUID()}:`)]);
else describe.skip(redisSuite('deleteUnlessHeld over the redis store', redis), () => it('needs Redis', () => {}));

describe.each(stores)('deleteUnlessHeld over the %s store', (_name, createStore) => {
  let store: KeyValueStore;
  beforeAll(async () => {
    store = createStore();
    if (store instanceof RedisStore) await store.ready();
  });
  afterAll(() => store.close());

  it('deletes a key while its guard holds nothing, and leaves it while the guard is held', async () => {
    await store.set('a:1', 'given-up', 60_000);
    expect(await store.deleteUnlessHeld('a:1', 'a:2', 'given-up')).toBe(true);
    expect(await store.get('a:1')).toBeUndefined();

    await store.set('b:1', 'given-up', 60_000);
    await store.set('b:2', 'taken', 60_000);
    expect(await store.deleteUnlessHeld('b:1', 'b:2', 'given-up')).toBe(false);
    expect(await store.get('b:1')).toBe('given-up');
    expect(await store.deleteUnlessHeld('c:1', 'c:2', 'given-up')).toBe(false);
  });

  it('leaves a key that holds something else by now (taken again since the mark)', async () => {
    await store.set('d:1', 'taken:another create', 60_000);
    expect(await store.deleteUnlessHeld('d:1', 'd:2', 'given-up')).toBe(false);
    expect(await store.get('d:1')).toBe('taken:another create');
  });

  it("gives a create's place up as CreateOrder does: gone with no later place held, kept marked with one", async () => {
    await expectPlacesGivenUpAsCreateOrderDoes(store);
  });

  it('replaces a key only while it holds the value given (replaceIfEqual), with the new TTL', async () => {
    await expectReplacedOnlyWhileHeld(store);
  });

  it('sets a place above the first only while the key is free and the one below it is held (setIfAbsentAbove)', async () => {
    await expectSetOnlyAboveHeld(store);
  });
});
