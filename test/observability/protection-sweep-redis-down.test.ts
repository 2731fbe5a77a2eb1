import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ProtectionSweep } from '../../src/observability/protection-sweep.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, startHarness, withSettings, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * With Redis, one replica sweeps per interval: the one that claims the lease.
 * While Redis was down no replica could claim it, so none swept: the gauges
 * went absent and the sweep's timestamp alert fired for an outage of Redis,
 * not of the sweep. Now a replica that cannot claim sweeps for itself and
 * exports its own result, as operation polls do.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

describe.skipIf(!redis.url)(redisSuite('protection sweeps while Redis is down', redis), () => {
  let proxy: RedisProxy;
  let harness: Harness;
  let store: RedisStore;
  const sweeps: ProtectionSweep[] = [];

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    store = new RedisStore(proxy.url, `backup-graph-test:${randomUUID()}:`);
    await store.ready();
    // The gateway's own sweep runs once at start, then an hour later: the test's replica is the one watched.
    harness = await startHarness({ kinds: ['zstack'], store, configure: withSettings({ protection: { sweepIntervalMs: 3_600_000 } }) });
  });
  afterAll(async () => {
    proxy?.mend();
    await Promise.all(sweeps.map((sweep) => sweep.stop()));
    await harness?.close();
    await proxy?.close();
  });

  it('a replica that cannot claim the lease sweeps for itself and exports its own counts; with Redis back it defers to the lease again', async () => {
    const registry = new Registry();
    const sweep = new ProtectionSweep(harness.gateway.services, registry, 3_600_000, pino({ level: 'silent' }));
    sweeps.push(sweep);
    // Redis up: the gateway's own sweep holds the lease, so this replica does not sweep.
    expect(await sweep.tick()).toBe(false);

    proxy.cut();
    let swept: boolean;
    const cutAt = Date.now();
    try {
      swept = await sweep.tick();
    } finally {
      proxy.mend();
    }
    expect(swept).toBe(true);
    // Its own result, though the store never took it.
    proxy.cut();
    let body: string;
    try {
      body = await registry.metrics();
    } finally {
      proxy.mend();
    }
    expect(body).toMatch(/^backup_graph_protection_instances\{provider="zstack-test",status="PROTECTED"\} \d+$/m);
    const finished = Number(/^backup_graph_protection_sweep_timestamp_seconds (\S+)$/m.exec(body)?.[1]);
    expect(finished * 1000).toBeGreaterThanOrEqual(cutAt);
    // Redis back (once the client has reconnected): the lease (still the gateway's own sweep's) decides again.
    await eventually(() => store.get('any').then(() => true, () => false), (answered) => answered);
    expect(await sweep.tick()).toBe(false);

    // Three intervals on (as long as the store keeps a result), its own is not exported any more: gauges go absent rather than lie.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 3 * 3_600_000);
    proxy.cut();
    try {
      body = await registry.metrics();
    } finally {
      proxy.mend();
      vi.useRealTimers();
    }
    expect(body).not.toMatch(/^backup_graph_protection_instances\{/m);
    expect(body).toMatch(/^backup_graph_protection_sweep_timestamp_seconds 0$/m);
  });
});
