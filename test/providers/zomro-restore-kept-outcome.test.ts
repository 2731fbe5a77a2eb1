import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { startGatewayServer } from '../../src/server/app.js';
import { OUTCOME_KEPT_MS } from '../../src/state/kept-outcomes.js';
import { RedisStore } from '../../src/state/redis-store.js';
import type { KeyValueStore } from '../../src/state/store.js';
import { errorCodes, eventually, gqlAt, type Harness, withHarness, withProviderSettings } from '../helpers/harness.js';

const OPERATION_STATUS = 'query($id: ID!) { operation(id: $id) { status } }';
import { startRedisProxy } from '../helpers/redis-proxy.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * A Zomro restore's status is read from state that goes on changing after it ended (the
 * instance's word, and on a panel without `fotbo_status` whether its backup is still there), so
 * the first outcome a poll reads is kept and every later poll, on every replica, answers it.
 */

const LIST = '{ instances(first: 1000) { edges { node { id nativeId backups { id status } } } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';
type Ask = Harness['gql'];
interface Read {
  status: string;
  error: string | null;
}

/** Settles after a second: the test deletes the backup before any poll may read a resting word as the end. */
const SETTLE_MS = 1_000;
const options = (store?: KeyValueStore) => ({
  kinds: ['zomro' as const],
  configure: withProviderSettings({ cacheTtlMs: 0, restoreSettleMs: SETTLE_MS }),
  simulator: { asyncDelayMs: 60_000 },
  ...(store ? { store } : {}),
});

const read = async (ask: Ask, id: string): Promise<Read> => (await ask<{ operation: Read }>(OPERATION, { id })).data!.operation;
/** Polls until the restore has settled (a readiness wait: RUNNING until restoreSettleMs has passed). */
const settled = (ask: Ask, id: string): Promise<Read> => eventually(() => read(ask, id), (operation) => operation.status !== 'RUNNING');

/** Restores a backup of the fourth instance: its operation id, and the backup's id. */
async function restoreOne(harness: Harness): Promise<{ id: string; backupId: string; plid: string }> {
  const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string; backups: Array<{ id: string; status: string }> } }> } }>(LIST);
  const node = list.data!.instances.edges[3]!.node;
  const backupId = node.backups.find((backup) => backup.status === 'AVAILABLE')!.id;
  const restored = await harness.gql<{ restoreBackup: { operation: { id: string; status: string } } }>(RESTORE, { input: { backupId, confirm: true } });
  expect(restored.errors).toBeUndefined();
  return { id: restored.data!.restoreBackup.operation.id, backupId, plid: node.nativeId };
}

async function deleteBackup(ask: Ask, backupId: string): Promise<void> {
  const deleted = await ask<{ deleteBackup: { operation: { status: string } } }>(DELETE, { input: { backupId } });
  expect(deleted.errors).toBeUndefined();
}

const UNCONFIRMED = "the restore's outcome cannot be confirmed: its backup was deleted before the gateway saw the rebuild end, and this panel sends no fotbo_status";

describe('zomro: a restore on a panel without fotbo_status whose backup is deleted mid-rebuild', () => {
  for (const reading of ['fails', 'finishes'] as const) {
    it(`reads FAILED "cannot be confirmed" at its first settled poll, and keeps it (rebuildOfDeletedImage '${reading}')`, async () => {
      await withHarness(options(), async (harness) => {
        const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
        simulator.listsFotboStatus = false;
        simulator.rebuildOfDeletedImage = reading;
        const { id, backupId, plid } = await restoreOne(harness);
        await deleteBackup(harness.gql, backupId);
        simulator.instances.get(plid)!.rebuildUntil = 0;
        const first = await settled(harness.gql, id);
        expect(first.status).toBe('FAILED');
        expect(first.error).toContain(UNCONFIRMED);
        expect(first.error).toContain('look at the instance in the panel');
        // Kept: a later poll answers it without asking Zomro, whatever the panel shows now.
        simulator.listsFotboStatus = true;
        harness.resetUpstreamLogs();
        expect(await read(harness.gql, id)).toEqual(first);
        expect(harness.upstreamCount('zomro')).toBe(0);
      });
    });
  }
});

describe('zomro: a restore keeps the outcome it was first read with', () => {
  it('a SUCCEEDED restore stays SUCCEEDED once its backup is deleted later (a rotation days after)', async () => {
    await withHarness(options(), async (harness) => {
      const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
      simulator.listsFotboStatus = false;
      const { id, backupId, plid } = await restoreOne(harness);
      simulator.instances.get(plid)!.rebuildUntil = 0;
      expect(await settled(harness.gql, id)).toEqual({ status: 'SUCCEEDED', error: null });
      await deleteBackup(harness.gql, backupId);
      expect(await read(harness.gql, id)).toEqual({ status: 'SUCCEEDED', error: null });
    });
  });

  it('a FAILED restore stays FAILED once the instance is repaired (the cloud shows it active again)', async () => {
    await withHarness(options(), async (harness) => {
      const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
      simulator.rebuildOfDeletedImage = 'fails';
      const { id, backupId, plid } = await restoreOne(harness);
      await deleteBackup(harness.gql, backupId);
      const instance = simulator.instances.get(plid)!;
      instance.rebuildUntil = 0;
      const failed = await settled(harness.gql, id);
      expect(failed.status).toBe('FAILED');
      expect(failed.error).toContain('the instance is in an error state ("error")');
      instance.rebuildFailed = false;
      expect(await read(harness.gql, id)).toEqual(failed);
    });
  });
});

describe('zomro: a restore no mark names (an id from before this version, a mark expired or never written)', () => {
  // It read as before at each poll: SUCCEEDED from the instance's word alone, whatever backup the id named.
  it('is NOT_FOUND, and nothing is asked of Zomro: nothing there ties the instance to the backup the id names', async () => {
    await withHarness(options(), async (harness) => {
      const { id, plid } = await restoreOne(harness);
      (harness.simulator('zomro').simulator as ZomroSimulator).instances.get(plid)!.rebuildUntil = 0;
      // A gateway with a store of its own (memory: a restart, or a replica without Redis) never saw the restore's mark.
      const other = await startGatewayServer(harness.config, { logger: createLogger('silent') });
      try {
        harness.resetUpstreamLogs();
        expect(errorCodes(await gqlAt(other.graphqlUrl)(OPERATION_STATUS, { id }))).toEqual(['NOT_FOUND']);
        expect(harness.upstreamCount('zomro')).toBe(0);
        // The gateway that marked it still answers it.
        expect(await settled(harness.gql, id)).toEqual({ status: 'SUCCEEDED', error: null });
      } finally {
        await other.close();
      }
    });
  });
});

const redis = await testRedis();
afterAll(() => redis.stop());

describe.skipIf(!redis.url)(redisSuite('zomro: a restore outcome kept in Redis, across two gateway processes', redis), () => {
  const prefixes: string[] = [];
  afterAll(async () => {
    const client = new Redis(redis.url as string);
    for (const prefix of prefixes) {
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(...keys);
    }
    await client.quit();
  });
  const newPrefix = (): string => {
    const prefix = `bg-test-${randomUUID()}:`;
    prefixes.push(prefix);
    return prefix;
  };

  /** A harness on `url` and a second gateway process sharing its Redis keys; `test` gets both askers. */
  async function twoReplicas(url: string, test: (harness: Harness, second: Ask, prefix: string) => Promise<void>): Promise<void> {
    const prefix = newPrefix();
    const stores = [new RedisStore(url, prefix), new RedisStore(url, prefix)] as const;
    await Promise.all(stores.map((store) => store.ready()));
    await withHarness(options(stores[0]), async (harness) => {
      const second = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: stores[1] });
      try {
        await test(harness, gqlAt(second.graphqlUrl), prefix);
      } finally {
        await second.close();
      }
    });
  }

  for (const reading of ['fails', 'finishes'] as const) {
    it(`the first settled poll on one replica decides FAILED "cannot be confirmed", and the other answers it (rebuildOfDeletedImage '${reading}')`, async () => {
      await twoReplicas(redis.url as string, async (harness, second, prefix) => {
        const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
        simulator.listsFotboStatus = false;
        simulator.rebuildOfDeletedImage = reading;
        const { id, backupId, plid } = await restoreOne(harness);
        await deleteBackup(harness.gql, backupId);
        simulator.instances.get(plid)!.rebuildUntil = 0;
        const first = await settled(second, id);
        expect(first.status).toBe('FAILED');
        expect(first.error).toContain(UNCONFIRMED);
        expect(await read(harness.gql, id)).toEqual(first);
        // The mark and the outcome beside it, in their own namespace, kept as long as operations are followed.
        const client = new Redis(redis.url as string);
        try {
          const keys = (await client.keys(`${prefix}restore-outcome:*`)).sort();
          expect(keys).toHaveLength(2);
          expect(keys[1]).toBe(`${keys[0]}#outcome`);
          for (const key of keys) expect(await client.pttl(key)).toBeGreaterThan(OUTCOME_KEPT_MS - 60_000);
        } finally {
          await client.quit();
        }
      });
    });
  }

  it('a SUCCEEDED restore read on one replica stays SUCCEEDED on the other once its backup is deleted', async () => {
    await twoReplicas(redis.url as string, async (harness, second) => {
      const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
      simulator.listsFotboStatus = false;
      const { id, backupId, plid } = await restoreOne(harness);
      simulator.instances.get(plid)!.rebuildUntil = 0;
      expect(await settled(harness.gql, id)).toEqual({ status: 'SUCCEEDED', error: null });
      await deleteBackup(second, backupId);
      expect(await read(second, id)).toEqual({ status: 'SUCCEEDED', error: null });
    });
  });

  it('a store that does not answer in time gets RUNNING, saying why, never a terminal status it did not keep', async () => {
    const proxy = await startRedisProxy(redis.url as string);
    try {
      await twoReplicas(proxy.url, async (harness) => {
        const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
        simulator.listsFotboStatus = false;
        const { id, backupId, plid } = await restoreOne(harness);
        simulator.instances.get(plid)!.rebuildUntil = 0;
        // Past the settle time, read by a poll whose store is stalled.
        // Waits out the settle time itself (a span of the gateway's clock, nothing to synchronise with).
        await new Promise<void>((resolve) => setTimeout(resolve, SETTLE_MS));
        proxy.stall();
        const unanswered = await read(harness.gql, id);
        expect(unanswered.status).toBe('RUNNING');
        expect(unanswered.error).toContain("the shared store did not answer in time, so this restore's outcome cannot be told yet");
        proxy.flow();
        expect(await settled(harness.gql, id)).toEqual({ status: 'SUCCEEDED', error: null });
        await deleteBackup(harness.gql, backupId);
        expect(await read(harness.gql, id)).toEqual({ status: 'SUCCEEDED', error: null });
      });
    } finally {
      await proxy.close();
    }
  });
});
