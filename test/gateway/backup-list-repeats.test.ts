import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { cachedListAt, replaceCachedList } from '../helpers/cached-entries.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * The flat `backups` list shows each backup once, whichever way a repeat
 * reaches it: a provider that answers every VM's backups for each VM (its rows
 * naming their own VM, so each copy has the same id), or a cached list
 * another writer made with a repeat in it. totalCount counts the backups, and
 * paging with cursors visits each once.
 */

interface Page {
  backups: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ node: { id: string; instance: { nativeId: string } | null } }>;
  };
}

const PAGE = /* GraphQL */ `
  query($filter: BackupFilter, $first: Int, $after: String) {
    backups(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id instance { nativeId } } }
    }
  }
`;

async function page(harness: Harness, filter: Record<string, unknown>, first: number, after: string | null = null): Promise<Page['backups']> {
  const answer = await harness.gql<Page>(PAGE, { filter, first, after });
  expect(answer.errors).toBeUndefined();
  return answer.data!.backups;
}

/** Every page of `first` backups, by cursor: the ids in the order shown, and each page's totalCount. */
async function allPages(harness: Harness, filter: Record<string, unknown>, first: number): Promise<{ ids: string[]; totals: number[] }> {
  const ids: string[] = [];
  const totals: number[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 100; pages++) {
    const answer = await page(harness, filter, first, after);
    ids.push(...answer.edges.map((edge) => edge.node.id));
    totals.push(answer.totalCount);
    if (!answer.pageInfo.hasNextPage) return { ids, totals };
    after = answer.pageInfo.endCursor;
  }
  throw new Error('paging did not end within 100 pages');
}

describe('flat backups: a provider that lists every VM\'s backups under each VM', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  const filter = { providerId: 'danube-test' };

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    simulator.ignoresVmFilter = false;
  });

  it('shows each backup once, under its own VM, with a totalCount of the backups', async () => {
    const asDocumented = await page(harness, filter, 1000);
    expect(asDocumented.totalCount).toBe(simulator.backups.length);

    simulator.ignoresVmFilter = true;
    const answer = await page(harness, filter, 1000);
    const ids = answer.edges.map((edge) => edge.node.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(answer.totalCount).toBe(simulator.backups.length);
    expect(ids).toEqual(asDocumented.edges.map((edge) => edge.node.id));
    expect(answer.edges.map((edge) => edge.node.instance?.nativeId)).toEqual(asDocumented.edges.map((edge) => edge.node.instance?.nativeId));
  });

  it('pages through each backup once by cursor, every page counting the same total', async () => {
    simulator.ignoresVmFilter = true;
    const whole = await page(harness, filter, 1000);
    const paged = await allPages(harness, filter, 3);
    expect(paged.ids).toEqual(whole.edges.map((edge) => edge.node.id));
    expect(new Set(paged.totals)).toEqual(new Set([simulator.backups.length]));
  });
});

const redis = await testRedis();
afterAll(() => redis.stop());

describe.skipIf(!redis.url)(redisSuite("flat backups: a cached list another writer made with a repeat", redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let raw: Redis;
  let harness: Harness;
  const filter = { providerId: 'danube-test' };

  beforeAll(async () => {
    raw = new Redis(redis.url as string);
    const store = new RedisStore(redis.url as string, prefix);
    await store.ready();
    harness = await startHarness({ kinds: ['danube'], store, configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
  });
  afterAll(async () => {
    await harness?.close();
    await raw?.quit();
  });

  it("shows the repeated backup once: in the instance's backups, the list filtered by instance and the account's list", async () => {
    const fresh = await page(harness, filter, 1000);
    const keys = await raw.keys(`${prefix}cache:*:backups:*`);
    // An instance's list holding backups: one whose repeat could show.
    let repeatedIn: { key: string; instance: string } | null = null;
    for (const key of keys) {
      const records = await cachedListAt<{ instanceNativeId: string }>(raw, key);
      if (records.length < 2) continue;
      await replaceCachedList(raw, key, [...records, records[0]]);
      repeatedIn = { key, instance: records[0]!.instanceNativeId };
      break;
    }
    expect(repeatedIn).not.toBeNull();

    const instances = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>('{ instances { edges { node { id nativeId } } } }');
    const instance = instances.data!.instances.edges.find((edge) => edge.node.nativeId === repeatedIn!.instance)!.node;
    const field = await harness.gql<{ instance: { backups: Array<{ id: string }> } }>('query($id: ID!) { instance(id: $id) { backups { id } } }', { id: instance.id });
    const fieldIds = field.data!.instance.backups.map((backup) => backup.id);
    expect(new Set(fieldIds).size).toBe(fieldIds.length);
    const own = await page(harness, { instanceId: instance.id }, 1000);
    const ownIds = own.edges.map((edge) => edge.node.id);
    expect(new Set(ownIds).size).toBe(ownIds.length);
    expect(own.totalCount).toBe(ownIds.length);
    expect(ownIds).toEqual(fresh.edges.filter((edge) => edge.node.instance?.nativeId === repeatedIn!.instance).map((edge) => edge.node.id));

    const answer = await page(harness, filter, 1000);
    expect(answer.edges.map((edge) => edge.node.id)).toEqual(fresh.edges.map((edge) => edge.node.id));
    expect(answer.totalCount).toBe(fresh.totalCount);
  });
});
