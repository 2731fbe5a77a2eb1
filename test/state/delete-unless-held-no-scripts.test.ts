import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/state/redis-store.js';
import { expectPlacesGivenUpAsCreateOrderDoes, expectReplacedOnlyWhileHeld, expectSetOnlyAboveHeld } from '../helpers/give-up-places.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

const redis = await testRedis();
afterAll(() => redis.stop());

/**
 * A Redis whose ACL refuses scripts (managed Redis often does): a create's
 * place given up is still deleted when no later place is held, the look and
 * the delete sent apart, rather than kept marked for 24 h; a refused
 * request's idempotency claim is released so too.
 */
describe.skipIf(!redis.url)(redisSuite('deleteUnlessHeld on a Redis that refuses EVAL', redis), () => {
  const user = `no-scripts-${randomUUID()}`;
  const password = randomUUID();
  let admin: Redis;
  let store: RedisStore;
  beforeAll(async () => {
    admin = new Redis(redis.url as string);
    await admin.call('ACL', 'SETUSER', user, 'on', `>${password}`, '~*', '&*', '+@all', '-@scripting');
    const url = new URL(redis.url as string);
    url.username = user;
    url.password = password;
    store = new RedisStore(url.toString(), `backup-graph-test:${randomUUID()}:`);
    await store.ready();
  });
  afterAll(async () => {
    await store.close();
    await admin.call('ACL', 'DELUSER', user);
    await admin.quit();
  });

  it('gives a place up as on any Redis: gone with no later place held, kept marked with one', async () => {
    await expectPlacesGivenUpAsCreateOrderDoes(store);
    await expect(store.deleteUnlessHeld('probe:1', 'probe:2', 'given-up')).resolves.toBe(false);
  });

  it('replaces a key only while it holds the value given (replaceIfEqual), the look and the set sent apart', async () => {
    await expectReplacedOnlyWhileHeld(store);
  });

  it('sets a place above the first only while the one below it is held (setIfAbsentAbove), the look and the set sent apart', async () => {
    await expectSetOnlyAboveHeld(store);
  });

  it('releases a claim only while the key holds it (deleteIfEqual), the look and the delete sent apart', async () => {
    const claim = { state: 'pending', claim: randomUUID() };
    await store.set('claim:1', claim, 60_000);
    await store.deleteIfEqual('claim:1', { state: 'pending', claim: randomUUID() });
    expect(await store.get('claim:1')).toEqual(claim);
    await store.deleteIfEqual('claim:1', claim);
    expect(await store.get('claim:1')).toBeUndefined();
  });
});
