import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/state/redis-store.js';
import { cachedListAt, replaceCachedList } from '../helpers/cached-entries.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * Schedules are now built by one literal (src/domain/schedule-record.ts): every field in one order,
 * the optional ones a provider does not give written as `undefined`. A rolling upgrade shares the
 * read cache with replicas of the version before, whose lists hold the same records with their
 * fields in each mapper's own order. Read by this version, they must answer as this version's own.
 */

const QUERY = `{ instances { edges { node { id
  schedules { id nativeId name cron timezone weekdays time nextRunAt createdAt raw }
  definitions { id name retention active schedule { id name cron timezone weekdays time nextRunAt createdAt raw } }
  protection { status reason nextRunAt scheduleKnown } } } } }`;

/** Each provider's schedule fields in the order the version before wrote them (its mappers' literals and OnApp's spread). */
const OLDER_ORDER: Record<string, readonly string[]> = {
  zomro: ['providerId', 'nativeId', 'instanceNativeId', 'keyExtra', 'name', 'cron', 'timezone', 'enabled', 'cronDialect', 'createdAt', 'raw'],
  onapp: ['providerId', 'nativeId', 'instanceNativeId', 'keyExtra', 'name', 'cron', 'timezone', 'repeat', 'startsAtMs', 'enabled', 'cronDialect', 'createdAt', 'raw', 'diskId'],
  danube: ['providerId', 'nativeId', 'instanceNativeId', 'keyExtra', 'name', 'cron', 'timezone', 'cronDialect', 'enabled', 'diskId', 'createdAt', 'raw'],
};

type Stored = Record<string, unknown>;

function inOrder(record: Stored, order: readonly string[]): Stored {
  expect(Object.keys(record).filter((key) => !order.includes(key))).toEqual([]);
  const out: Stored = {};
  for (const key of order) if (key in record) out[key] = record[key];
  return out;
}

const redis = await testRedis();
afterAll(() => redis.stop());

describe.skipIf(!redis.url)(redisSuite('schedules cached by the version before, fields in its order', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let raw: Redis;
  let harness: Harness;

  beforeAll(async () => {
    raw = new Redis(redis.url as string);
    const store = new RedisStore(redis.url as string, prefix);
    await store.ready();
    harness = await startHarness({ kinds: ['zomro', 'onapp', 'danube'], store, configure: withProviderSettings({ timezone: 'UTC', cacheTtlMs: 60_000 }) });
  });
  afterAll(async () => {
    await harness?.close();
    await raw?.quit();
  });

  it('answer as this version wrote them, and this version writes no field the version before did not', async () => {
    const first = await harness.gql(QUERY);
    expect(first.errors).toBeUndefined();

    const scheduleKeys = await raw.keys(`${prefix}cache:*:schedules:*`);
    const definitionKeys = await raw.keys(`${prefix}cache:*:definitions:*`);
    expect(scheduleKeys.length).toBeGreaterThan(0);
    expect(definitionKeys.length).toBeGreaterThan(0);
    const kindOf = (key: string): string => Object.keys(OLDER_ORDER).find((kind) => key.includes(`${kind}-test`)) ?? 'none';
    let rewritten = 0;
    for (const key of scheduleKeys) {
      const order = OLDER_ORDER[kindOf(key)]!;
      const records = await cachedListAt<Stored>(raw, key);
      rewritten += records.length;
      await replaceCachedList(raw, key, records.map((record) => inOrder(record, order)));
    }
    for (const key of definitionKeys) {
      const records = await cachedListAt<Stored>(raw, key);
      rewritten += records.length;
      await replaceCachedList(raw, key, records.map((record) => ({ ...record, schedule: inOrder(record.schedule as Stored, OLDER_ORDER.danube!) })));
    }
    expect(rewritten).toBeGreaterThan(0);

    const again = await harness.gql(QUERY);
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(first.data);
  });
});
