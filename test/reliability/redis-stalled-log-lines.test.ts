import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy, type RedisProxy } from '../helpers/redis-proxy.js';

/**
 * A Redis that stops answering makes every cached read give up after 250 ms
 * and read the provider, and every mutation with an idempotency key give up
 * after 2 s. Each give-up was a warn line with a stack: a slow Redis under
 * load wrote several a request. Now one line per kind of failure per period,
 * without a stack, and the next period's line says how many it left out.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const LINE_PERIOD_MS = 3_000;
const READ_CACHE_LINE = 'read cache store failed; reading from the providers';
const IDEMPOTENCY_LINE = 'idempotency store failed or did not answer in time';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const CONCURRENT_READS = 8;
const READ = '{ instances(first: 5) { totalCount } }';

interface StoreFailureLine {
  level: number;
  msg: string;
  failure?: string;
  reason?: string;
  alsoFailedSinceLastLine?: number;
  err?: unknown;
}

describe.skipIf(!redis.url)(redisSuite('read cache: a stalled Redis is logged once a period, without a stack', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let proxy: RedisProxy;
  let store: RedisStore;
  let harness: Harness;
  const linesSaying = (msg: string): StoreFailureLine[] => harness.logs.map((line) => JSON.parse(line) as StoreFailureLine).filter((line) => line.msg === msg);
  const cacheLines = (): StoreFailureLine[] => linesSaying(READ_CACHE_LINE);
  /** backup_graph_store_failures_total for one user and failure: it counts every failure the throttled lines leave out. */
  const storeFailures = async (store: string, failure: string): Promise<number> => {
    const text = await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
    const line = text.split('\n').find((row) => row.startsWith('backup_graph_store_failures_total{') && row.includes(`store="${store}"`) && row.includes(`failure="${failure}"`));
    return Number(line?.split(' ').at(-1));
  };

  beforeAll(async () => {
    proxy = await startRedisProxy(redis.url as string);
    store = new RedisStore(proxy.url, prefix);
    await store.ready();
    harness = await startHarness({ kinds: ['zomro'], store, configure: withProviderSettings({ cacheTtlMs: 60_000 }), storeFailureLineMs: LINE_PERIOD_MS });
  });
  afterAll(async () => {
    proxy?.flow();
    await harness?.close();
    await proxy?.close();
  });

  it('many timeouts give one line, and the next period one line counting those left out', async () => {
    expect(await storeFailures('read_cache', 'timeout')).toBe(0);
    proxy.stall();
    try {
      const started = Date.now();
      const answers = await Promise.all(Array.from({ length: CONCURRENT_READS }, () => harness.gql<{ instances: { totalCount: number } }>(READ)));
      // All within one period, so the rest of this test reads what a period does.
      expect(Date.now() - started).toBeLessThan(LINE_PERIOD_MS);
      for (const answer of answers) {
        expect(answer.errors).toBeUndefined();
        expect(answer.data?.instances.totalCount).toBeGreaterThan(0);
      }
      const first = cacheLines();
      expect(first).toHaveLength(1);
      expect(first[0]).toMatchObject({ level: 40, failure: 'timeout', reason: 'the shared store did not answer within 250 ms', alsoFailedSinceLastLine: 0 });
      // One line, and every give-up counted: each read gave up at least once (its look).
      expect(await storeFailures('read_cache', 'timeout')).toBeGreaterThanOrEqual(CONCURRENT_READS);

      // Still stalled, the next period's first timeout writes the summary.
      const lines = await eventually(
        async () => {
          await harness.gql(READ);
          return cacheLines();
        },
        (found) => found.length > 1,
        { timeoutMs: 4 * LINE_PERIOD_MS, intervalMs: 200 },
      );
      expect(lines).toHaveLength(2);
      // Each read gave up at least once (its look); the first of them wrote the line.
      expect(lines[1]).toMatchObject({ level: 40, failure: 'timeout', alsoFailedSinceLastLine: expect.any(Number) });
      expect(lines[1]!.alsoFailedSinceLastLine).toBeGreaterThanOrEqual(CONCURRENT_READS - 1);
      for (const line of lines) expect(line.err).toBeUndefined();
      for (const line of harness.logs) expect(line).not.toContain('"stack"');
    } finally {
      proxy.flow();
    }
  }, 30_000);

  it('idempotency records that cannot be claimed in time: one line for several refused mutations', async () => {
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(first: 3) { edges { node { id } } } }');
    const instanceIds = list.data!.instances.edges.map((edge) => edge.node.id);
    proxy.stall();
    try {
      const refused = await Promise.all(instanceIds.map((instanceId) => harness.gql(CREATE, { input: { instanceId, name: 'stalled-lines', idempotencyKey: randomUUID() } })));
      for (const answer of refused) expect(answer.errors?.[0]?.message).toContain('the idempotency records could not be reached');
      const lines = linesSaying(IDEMPOTENCY_LINE);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 40, failure: 'timeout', reason: 'the shared store did not answer within 2000 ms', alsoFailedSinceLastLine: 0 });
      expect(lines[0]!.err).toBeUndefined();
      expect(await storeFailures('idempotency', 'timeout')).toBe(instanceIds.length);
    } finally {
      proxy.flow();
    }
  }, 30_000);
});
