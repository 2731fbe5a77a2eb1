import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepKeys, type SweepKeys } from '../../src/observability/sweep-keys.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { encodeStored } from '../../src/state/stored-json.js';
import { eventually, startHarness, withSettings, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { commandTimeoutWitness, type CommandTimeoutWitness } from '../helpers/command-timeout-witness.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * The last sweep's result is read from Redis at every scrape. A value of
 * another shape there (another version's, another writer's, a truncated
 * write) must cost the protection gauges, never the whole of /metrics.
 */
const redis = await testRedis();
afterAll(() => redis.stop());


const FOREIGN: ReadonlyArray<[string, string]> = [
  ['providers not a list', encodeStored({ finishedAt: Date.now(), seconds: 1, providers: 'zstack-test', failedProviders: [] })],
  ['a provider without counts', encodeStored({ finishedAt: Date.now(), seconds: 1, providers: [{ id: 'zstack-test' }], failedProviders: [] })],
  ['times that are not numbers', encodeStored({ finishedAt: 'yesterday', seconds: null, providers: [], failedProviders: [] })],
  ['failed providers not a list of names', encodeStored({ finishedAt: Date.now(), seconds: 1, providers: [], failedProviders: [{ id: 1 }] })],
  ['not JSON at all', 'not json {'],
];

describe.skipIf(!redis.url)(redisSuite('protection sweep results of another shape in Redis', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let harness: Harness;
  let writer: Redis;
  /** The sweep's keys of the harness's one account (its id, kind and url). */
  let KEYS: SweepKeys;

  beforeAll(async () => {
    // A sweep an hour apart: the test's own writes stay in place while it scrapes.
    harness = await startHarness({ kinds: ['zstack'], store: new RedisStore(redis.url as string, prefix), configure: withSettings({ protection: { sweepIntervalMs: 3_600_000 } }) });
    KEYS = sweepKeys(harness.gateway.services.providers.all.map((adapter) => adapter.account));
    writer = new Redis(redis.url as string);
    await eventually(() => writer.exists(`${prefix}${KEYS.result}`), (count) => count === 1);
  });
  afterAll(async () => {
    await writer?.del(`${prefix}${KEYS.result}`, `${prefix}${KEYS.lease}`);
    await writer?.quit();
    await harness?.close();
  });

  it.each(FOREIGN)('%s: /metrics still answers, without the protection gauges', async (_name, text) => {
    await writer.set(`${prefix}${KEYS.result}`, text, 'PX', 60_000);
    const response = await fetch(`${harness.gateway.adminUrl}/metrics`);
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(body).toContain('backup_graph_upstream_breaker_state');
    expect(body).not.toMatch(/^backup_graph_protection_instances\{/m);
    expect(body).not.toMatch(/^backup_graph_protection_provider_failed\{/m);
    // Unlabelled gauges read 0 without a result, as when no sweep has stored one.
    expect(body).toMatch(/^backup_graph_protection_sweep_timestamp_seconds 0$/m);
  });
});

describe.skipIf(!redis.url)(redisSuite('protection sweep results behind a stalled Redis', redis), () => {
  let proxy: RedisProxy;
  let harness: Harness;
  let witness: CommandTimeoutWitness;

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    witness = await commandTimeoutWitness(proxy.url);
    const store = new RedisStore(proxy.url, `backup-graph-test:${randomUUID()}:`);
    await store.ready();
    harness = await startHarness({ kinds: ['zstack'], store, configure: withSettings({ protection: { sweepIntervalMs: 3_600_000 } }) });
  });
  afterAll(async () => {
    proxy?.flow();
    witness?.close();
    await harness?.close();
    await proxy?.close();
  });

  it("/metrics answers while Redis does not answer, without waiting for its command timeout, with this replica's own last sweep", async () => {
    const metrics = () => fetch(`${harness.gateway.adminUrl}/metrics`).then((response) => response.text());
    await eventually(metrics, (body) => /^backup_graph_protection_instances\{/m.test(body));
    proxy.stall();
    try {
      // It waited for Redis's 5 s command timeout: a scrape timeout of a few seconds lost every metric.
      // Raced against a command timeout on the witness's connection, sent first through the same stalled proxy.
      witness.start();
      const timedOut = 'a command timeout passed before /metrics answered';
      const body = await Promise.race([metrics(), witness.after(1, timedOut)]);
      expect(body, 'it waits on Redis again').not.toBe(timedOut);
      expect(body).toContain('backup_graph_upstream_breaker_state');
      // Its own sweep, the one Redis was given before it stalled (the store's copy cannot be read now).
      expect(body).toMatch(/^backup_graph_protection_instances\{provider="zstack-test",status="PROTECTED"\} \d+$/m);
      expect(body).not.toMatch(/^backup_graph_protection_sweep_timestamp_seconds 0$/m);
    } finally {
      proxy.flow();
    }
  });
});
