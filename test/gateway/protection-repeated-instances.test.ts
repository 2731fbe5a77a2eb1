import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { cachedListAt, replaceCachedList } from '../helpers/cached-entries.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * An instance list naming one instance twice (a record that moved to a later
 * page while the list was read): one instance, counted and listed once
 * wherever the gateway shows it, with the first record's fields.
 */

/** The seeded OnApp VM with a recent backup and a schedule: the demo's PROTECTED one. */
const PROTECTED_VM = 485;

const VIEW = /* GraphQL */ `{
  protectionSummary { counts { instances protected stale unprotected unknown } providers { provider { id } counts { instances protected } } providerErrors { code } }
  matches: instances(filter: { protection: [PROTECTED] }) { totalCount edges { node { id name } } }
  all: instances { totalCount edges { node { id name } } }
}`;

interface View {
  protectionSummary: {
    counts: { instances: number; protected: number; stale: number; unprotected: number; unknown: number };
    providers: Array<{ provider: { id: string }; counts: { instances: number; protected: number } }>;
    providerErrors: Array<{ code: string }>;
  };
  matches: { totalCount: number; edges: Array<{ node: { id: string; name: string } }> };
  all: { totalCount: number; edges: Array<{ node: { id: string; name: string } }> };
}

/** What the seeded OnApp gives: six VMs, one PROTECTED, four STALE, one UNPROTECTED. */
const SEEDED_COUNTS = { instances: 6, protected: 1, stale: 4, unprotected: 1, unknown: 0 };

function expectEachOnce(view: View): void {
  expect(view.protectionSummary.providerErrors).toEqual([]);
  expect(view.protectionSummary.counts).toEqual(SEEDED_COUNTS);
  expect(view.protectionSummary.providers.map((entry) => entry.counts)).toEqual([{ instances: 6, protected: 1 }]);
  expect(view.matches.totalCount).toBe(1);
  expect(view.matches.edges).toHaveLength(1);
  expect(view.all.totalCount).toBe(6);
  expect(new Set(view.all.edges.map((edge) => edge.node.id)).size).toBe(6);
}

describe('protection view: a provider listing one VM twice', () => {
  let harness: Harness;
  let simulator: OnappSimulator;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'] });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());
  beforeEach(() => simulator.listedAgain.clear());

  it('counts and lists the VM once', async () => {
    simulator.listedAgain.set(PROTECTED_VM, { label: 'renamed-between-pages' });
    const answer = await harness.gql<View>(VIEW);
    expect(answer.errors).toBeUndefined();
    expectEachOnce(answer.data!);
    expect(answer.data!.matches.edges[0]?.node.name).not.toBe('renamed-between-pages');
  });

  it('reads the VM by id as the list shows it (the first record), not as its repeat', async () => {
    simulator.listedAgain.set(PROTECTED_VM, { label: 'renamed-between-pages' });
    const listed = await harness.gql<View>(VIEW);
    const shown = listed.data!.matches.edges[0]!.node;
    const answer = await harness.gql<{ node: { name: string } }>('query($id: ID!) { node(id: $id) { ... on Instance { name } } }', { id: shown.id });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.node.name).toBe(shown.name);
  });
});

describe('a ZStack node listing one VM twice', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
  });
  afterAll(() => harness.close());

  it('reads the VM by id as the list shows it (the first record), not as its repeat', async () => {
    const repeated = simulator.vms.at(-1) as Record<string, unknown>;
    simulator.vms.push({ ...repeated, name: 'renamed-between-pages' });
    const listed = await harness.gql<View>(VIEW);
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.all.totalCount).toBe(6);
    const shown = listed.data!.all.edges.at(-1)!.node;
    expect(shown.name).not.toBe('renamed-between-pages');
    const answer = await harness.gql<{ node: { name: string } }>('query($id: ID!) { node(id: $id) { ... on Instance { name } } }', { id: shown.id });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.node.name).toBe(shown.name);
  });
});

const redis = await testRedis();
afterAll(() => redis.stop());

describe.skipIf(!redis.url)(redisSuite('protection view: a cached instance list naming one VM twice', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let raw: Redis;
  let harness: Harness;

  beforeAll(async () => {
    raw = new Redis(redis.url as string);
    const store = new RedisStore(redis.url as string, prefix);
    await store.ready();
    harness = await startHarness({ kinds: ['onapp'], store, configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
  });
  afterAll(async () => {
    await harness?.close();
    await raw?.quit();
  });

  it("counts and lists the VM once when another writer's cached list repeats it", async () => {
    const fresh = await harness.gql<View>(VIEW);
    expect(fresh.errors).toBeUndefined();
    const keys = await raw.keys(`${prefix}cache:*:instances:*`);
    const key = keys[0] as string;
    expect(key).toBeDefined();
    const records = await cachedListAt<{ nativeId: string }>(raw, key);
    const repeated = records.find((record) => record.nativeId === String(PROTECTED_VM));
    expect(repeated).toBeDefined();
    await replaceCachedList(raw, key, [...records, repeated]);
    const answer = await harness.gql<View>(VIEW);
    expect(answer.errors).toBeUndefined();
    expectEachOnce(answer.data!);
  });
});
