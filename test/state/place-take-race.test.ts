import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoresBeforePlace } from '../../src/providers/onapp/restore-place.js';
import { CreateOrder, placeKey } from '../../src/state/create-order.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { RedisStore } from '../../src/state/redis-store.js';
import type { KeyValueStore } from '../../src/state/store.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { WriteGate } from '../helpers/write-gate.js';

const redis = await testRedis();
afterAll(() => redis.stop());

const HELD_MS = 60_000;

const stores: Array<readonly [string, () => KeyValueStore]> = [['memory', () => new MemoryStore()]];
if (redis.url) stores.push(['redis', () => new RedisStore(redis.url as string, `backup-graph-test:${randomUUID()}:`)]);
else describe.skip(redisSuite('a take racing a give-up over the redis store', redis), () => it('needs Redis', () => {}));

/**
 * A take (an OnApp create's or restore's) that found the place it saw free taken by another, and
 * went on to the next, while that other gave its place up and deleted it (no later place held):
 * it held place 2 above a free place 1. A restore counted the free place as one sent and waited for
 * a transaction that never came (FAILED after 30 minutes), a create for a backup that never came;
 * and the next take took place 1 again and sent its call after this one's: each was told the
 * other's outcome.
 */
describe.each(stores)('a take racing a give-up over the %s store', (_name, createStore) => {
  let store: KeyValueStore;
  beforeAll(async () => {
    store = createStore();
    if (store instanceof RedisStore) await store.ready();
  });
  afterAll(() => store.close());

  it('never holds a place above a free one: it takes the place given up and freed meanwhile, and the next take comes after it', async () => {
    const series = `onapp-a:7:${randomUUID()}`;
    const holder = new CreateOrder(store);
    const gate = new WriteGate();
    const atFirst = gate.holdWrite(placeKey(series, 1));
    const atSecond = gate.holdWrite(placeKey(series, 2));
    const taking = new CreateOrder(gate.wrap(store)).take(series, HELD_MS);
    // The take saw place 1 free; another takes it before the take's write lands.
    await atFirst.reached;
    expect(await holder.take(series, HELD_MS)).toBe(1);
    atFirst.release();
    // The take tries place 2; the other's call fails before that write lands, and gives place 1 up.
    await atSecond.reached;
    await holder.giveUp(series, 1);
    expect(await store.get(placeKey(series, 1))).toBeUndefined();
    atSecond.release();
    const place = await taking;
    expect(place).toBe(1);
    const before = await holder.statesBefore(series, place as number, HELD_MS);
    expect(before).not.toContain('unheld');
    expect(restoresBeforePlace(before ?? [], place as number)).toEqual({ sent: 0, uncertain: 0 });
    // The next take sends its call after this one's: it must count this one, never come before it.
    expect(await new CreateOrder(store).take(series, HELD_MS)).toBe(2);
  });
});
