import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DANUBE_RAW_HIDDEN } from '../../src/providers/danube/secrets.js';
import { ONAPP_RAW_HIDDEN } from '../../src/providers/onapp/secrets.js';
import type { HiddenFields } from '../../src/providers/raw.js';
import { PROVIDER_KINDS, type ProviderKind } from '../../src/providers/registry.js';
import { ZOMRO_RAW_HIDDEN } from '../../src/providers/zomro/secrets.js';
import { ZSTACK_RAW_HIDDEN } from '../../src/providers/zstack/secrets.js';
import { DASHBOARD_QUERY } from '../../src/server/graphiql.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { cachedListAt } from '../helpers/cached-entries.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * Records carry their provider row and build `raw` from it only when read
 * (providers/raw.ts): the dashboard selects no raw, yet the read cache writes
 * each record to Redis. What Redis holds must be the stripped raw, never the
 * row: OnApp's rows carry `iqn`, and every provider's may carry a credential.
 */
const HIDDEN: Record<ProviderKind, HiddenFields> = { onapp: ONAPP_RAW_HIDDEN, zomro: ZOMRO_RAW_HIDDEN, zstack: ZSTACK_RAW_HIDDEN, danube: DANUBE_RAW_HIDDEN };

/** Every key at any depth of `value` (raw nests: ZStack's volumes). */
function keysIn(value: unknown, into: string[] = []): string[] {
  if (value === null || typeof value !== 'object') return into;
  if (Array.isArray(value)) {
    for (const item of value) keysIn(item, into);
    return into;
  }
  for (const [key, item] of Object.entries(value)) {
    into.push(key);
    keysIn(item, into);
  }
  return into;
}

const redis = await testRedis();
afterAll(() => redis.stop());

describe.skipIf(!redis.url)(redisSuite('hidden fields and the Redis read cache', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let raw: Redis;
  let harness: Harness;

  beforeAll(async () => {
    raw = new Redis(redis.url as string);
    const store = new RedisStore(redis.url as string, prefix);
    await store.ready();
    harness = await startHarness({ kinds: [...PROVIDER_KINDS], store, configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
  });
  afterAll(async () => {
    await harness?.close();
    await raw?.quit();
  });

  it('holds every record with its stripped raw after a dashboard that never asked for raw', async () => {
    const answer = await harness.gql(DASHBOARD_QUERY);
    expect(answer.errors).toBeUndefined();
    expect(JSON.stringify(answer.data)).not.toContain('"raw"');

    let records = 0;
    for (const kind of PROVIDER_KINDS) {
      const keys = await raw.keys(`${prefix}cache:*${kind}*:*`);
      expect(keys.length, kind).toBeGreaterThan(0);
      for (const key of keys) {
        const text = (await raw.get(key)) as string;
        expect(text, key).not.toMatch(/"iqn"|password|token/i);
        for (const record of await cachedListAt<Record<string, unknown>>(raw, key)) {
          records += 1;
          expect(record.raw, key).toBeTypeOf('object');
          const hidden = keysIn(record.raw).filter((field) => HIDDEN[kind].has(field));
          expect(hidden, key).toEqual([]);
        }
      }
    }
    expect(records).toBeGreaterThan(100);
  });
});
