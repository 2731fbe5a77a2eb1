import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeId, encodeId } from '../../src/domain/ids.js';
import { PROVIDER_KINDS } from '../../src/providers/registry.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * Global ids and date texts are remembered per entity the read cache hands
 * out (src/gateway/ids.ts, src/graphql/resolvers/scalars.ts). A warm read
 * must answer the ids a cold one computed, each encodeId's, and whatever
 * keeps them must never reach the cache's Redis value.
 */
const ENTITIES = `{
  instances(first: 500) {
    edges {
      node {
        id nativeId provider { id }
        backups { id nativeId createdAt }
        schedules { id nativeId }
        definitions { id nativeId }
      }
    }
  }
}`;

interface Owned {
  id: string;
  nativeId: string;
}
interface Answer {
  instances: { edges: Array<{ node: Owned & { provider: { id: string }; backups: Array<Owned & { createdAt: string }>; schedules: Owned[]; definitions: Owned[] } }> };
}

/** Every id of the answer, each checked to be encodeId's for the parts it names. */
function idsOf(answer: Answer): string[] {
  const ids: string[] = [];
  for (const { node } of answer.instances.edges) {
    const providerId = node.provider.id;
    expect(node.id).toBe(encodeId('Instance', providerId, [node.nativeId]));
    ids.push(node.id);
    for (const [type, items] of [
      ['Backup', node.backups],
      ['BackupSchedule', node.schedules],
      ['BackupDefinition', node.definitions],
    ] as const) {
      for (const item of items) {
        const decoded = decodeId(item.id);
        expect(decoded.type).toBe(type);
        expect(decoded.providerId).toBe(providerId);
        expect(decoded.keys.slice(0, 2)).toEqual([node.nativeId, item.nativeId]);
        expect(item.id).toBe(encodeId(type, providerId, decoded.keys));
        ids.push(item.id);
      }
    }
  }
  return ids;
}

async function entities(harness: Harness): Promise<Answer> {
  const answer = await harness.gql<Answer>(ENTITIES);
  expect(answer.errors).toBeUndefined();
  return answer.data as Answer;
}

describe('remembered global ids over every simulator, read cache on', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: [...PROVIDER_KINDS], configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
  });
  afterAll(() => harness?.close());

  it('answers the same encodeId ids and date texts cold and warm', async () => {
    const cold = await entities(harness);
    const coldIds = idsOf(cold);
    const providers = new Set(cold.instances.edges.map(({ node }) => node.provider.id));
    expect([...providers].sort()).toEqual(PROVIDER_KINDS.map((kind) => `${kind}-test`).sort());
    expect(coldIds.length).toBeGreaterThan(100);
    for (let read = 0; read < 2; read++) {
      const warm = await entities(harness);
      expect(idsOf(warm)).toEqual(coldIds);
      expect(warm).toEqual(cold);
    }
  });
});

const redis = await testRedis();
afterAll(() => redis.stop());

describe.skipIf(!redis.url)(redisSuite('remembered global ids and the Redis read cache', redis), () => {
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

  it('writes no remembered id to any cached entry, cold or warm', async () => {
    const ids = idsOf(await entities(harness));
    idsOf(await entities(harness));
    const keys = await raw.keys(`${prefix}cache:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const text = (await raw.get(key)) ?? '';
      for (const id of ids) expect(text.includes(id), `${key} holds ${id}`).toBe(false);
    }
  });
});
