import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { cachedListAt, replaceCachedList } from '../helpers/cached-entries.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * A rolling upgrade: replicas of the version before share the read cache, and
 * cache schedules without `enabled` (they did not read OnApp's status). Read
 * as "runs", a disabled schedule kept its instance PROTECTED on the upgraded
 * replicas for as long as the older ones kept writing the list.
 */

/** The seeded OnApp VM with a recent backup and a daily schedule: PROTECTED while the schedule runs. */
const VM = 485;
const PROTECTION = '{ instances { edges { node { nativeId schedules { nextRunAt } protection { status reason } } } } }';

interface Node {
  nativeId: string;
  schedules: Array<{ nextRunAt: string | null }>;
  protection: { status: string; reason: string };
}

const redis = await testRedis();
afterAll(() => redis.stop());

describe.skipIf(!redis.url)(redisSuite('a schedule list cached by the version before', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  let raw: Redis;
  let harness: Harness;
  let simulator: OnappSimulator;

  const vmNode = async (): Promise<Node> => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(PROTECTION);
    expect(answer.errors).toBeUndefined();
    return answer.data!.instances.edges.map((edge) => edge.node).find((node) => node.nativeId === String(VM))!;
  };

  beforeAll(async () => {
    raw = new Redis(redis.url as string);
    const store = new RedisStore(redis.url as string, prefix);
    await store.ready();
    harness = await startHarness({ kinds: ['onapp'], store, configure: withProviderSettings({ timezone: 'UTC', cacheTtlMs: 60_000 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(async () => {
    await harness?.close();
    await raw?.quit();
  });

  it('is read again from the provider, not served: a disabled schedule keeps no instance PROTECTED', async () => {
    const disks = new Set(simulator.vms.get(VM)!.disks.map((disk) => disk.id));
    for (const schedule of simulator.schedules.values()) if (disks.has(schedule.diskId)) schedule.status = 'disabled';
    expect((await vmNode()).protection.status).toBe('STALE');

    // As the version before wrote it: the same records without the fields it did not know.
    const keys = await raw.keys(`${prefix}cache:*:schedules:${VM}`);
    expect(keys).toHaveLength(1);
    const records = await cachedListAt<Record<string, unknown>>(raw, keys[0] as string);
    expect(records.length).toBeGreaterThan(0);
    const older = records.map(({ enabled: _enabled, cronDialect: _dialect, ...rest }) => rest);
    await replaceCachedList(raw, keys[0] as string, older);

    const node = await vmNode();
    expect(node.protection).toEqual({ status: 'STALE', reason: 'RECENT_BACKUP_NOTHING_SCHEDULED' });
    for (const schedule of node.schedules) expect(schedule.nextRunAt).toBeNull();
  });
});
