import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtectionSweep } from '../../src/observability/protection-sweep.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * A replica's claim of the sweep lease that Redis ran, its answer lost with
 * the connection: ioredis sends it again once reconnected, and Redis answers
 * "held", by this replica's own claim. The replica did not sweep, and no
 * other could claim the lease it held: no replica swept that interval.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const INTERVAL_MS = 60_000;
/** The lease's claim as RedisStore sends it: SET <prefix>protection-sweep:<accounts' digest>:lease ... NX. */
const LEASE_CLAIM = /protection-sweep:[0-9a-f]{16}:lease[\s\S]*\r\nNX\r\n/;

describe.skipIf(!redis.url)(redisSuite('protection sweep lease claimed on a connection that was lost', redis), () => {
  let proxy: RedisProxy;
  let harness: Harness;
  let sweep: ProtectionSweep;

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    const store = new RedisStore(proxy.url, `backup-graph-test:${randomUUID()}:`);
    await store.ready();
    harness = await startHarness({ kinds: ['zstack'], store });
    sweep = new ProtectionSweep(harness.gateway.services, new Registry(), INTERVAL_MS, pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await sweep?.stop();
    await harness?.close();
    await proxy?.close();
  });

  it('sweeps, as the holder of the lease it claimed', async () => {
    const dropped = proxy.dropReplyTo(LEASE_CLAIM);
    expect(await sweep.tick()).toBe(true);
    await dropped;
  });
});
