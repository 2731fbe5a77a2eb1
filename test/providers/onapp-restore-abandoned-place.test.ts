import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { decodeOperationId } from '../../src/gateway/ids.js';
import { createLogger } from '../../src/observability/logger.js';
import type { OnappSimulator, SimTransaction } from '../../src/providers/onapp/simulator.js';
import { startGatewayServer } from '../../src/server/app.js';
import { LEASE_MARGIN_MS } from '../../src/state/place-lease.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { errorCodes, gqlAt, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';
import { startRedisProxy } from '../helpers/redis-proxy.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { RestorePlaceWatch, WatchedMemoryStore, WatchedRedisStore } from '../helpers/restore-turns.js';

const redis = await testRedis();
afterAll(() => redis.stop());

/**
 * An OnApp restore POSTs only once the places before it in its series were sent. A place whose
 * replica died (or was cut off, or whose `sent` mark was lost) between its take and its mark stayed
 * `open` for its 30 minutes, and every later restore of that VM and watermark waited 30 s and was
 * refused CONFLICT for those 30 minutes. Its lease lapses instead: the place is read as one whose
 * POST may have reached OnApp, and the later restore goes ahead, told only its own outcome.
 */

const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';
const INSTANCES = '{ instances { edges { node { nativeId backups { id nativeId } } } } }';
/** A short POST timeout, so a short lease: its lapse is waited on in real time, the store's own. */
const POST_TIMEOUT_MS = 500;
const LEASE_MS = POST_TIMEOUT_MS + LEASE_MARGIN_MS;
/**
 * The most store reads of the places a restore waiting on place 1 makes before its lease lapses: each look reads
 * the places and then their leases (two reads); a wait's pauses grow 10, 20, 40, 80, 160 ms, then 200 ms each
 * until the lease (renewed last before the wait began) is gone, and one look after. A slower machine looks less
 * often, never more. Waited on for its 30 s, some 300 reads.
 */
const READS_WITHIN_LEASE = 2 * (6 + Math.ceil(LEASE_MS / 200) + 2);
/** Past the 30 minutes after which an unlisted position holds nothing. */
const PAST_UNSEEN_MS = 31 * 60_000;

interface Listed {
  instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ id: string; nativeId: string }> } }> };
}
interface Restored {
  restoreBackup: { operation: { id: string } };
}
interface Backups {
  first: { id: string; nativeId: number };
  second: { id: string; nativeId: number };
}

/** Two built backups of one VM. */
async function twoBackupsOfOneVm(ask: Harness['gql'], simulator: OnappSimulator): Promise<Backups> {
  const answer = await ask<Listed>(INSTANCES);
  expect(answer.errors).toBeUndefined();
  for (const { node } of answer.data!.instances.edges) {
    const built = node.backups.filter((backup) => Date.now() >= (simulator.backups.get(Number(backup.nativeId))?.builtAt ?? Infinity));
    if (built.length < 2) continue;
    const [first, second] = built.map((backup) => ({ id: backup.id, nativeId: Number(backup.nativeId) }));
    return { first: first!, second: second! };
  }
  throw new Error('no VM with two built backups');
}

/** Each restore's transaction, by backup, as OnApp makes them. */
function transactionsByBackup(simulator: OnappSimulator): { made: Map<number, SimTransaction>; stop(): void } {
  const made = new Map<number, SimTransaction>();
  const listener = (backupId: number, transaction: SimTransaction): void => void made.set(backupId, transaction);
  simulator.restoreEvents.on('restore', listener);
  return { made, stop: () => simulator.restoreEvents.off('restore', listener) };
}

describe('onapp: a restore after a place whose sent mark was lost (one gateway, memory store)', () => {
  it('goes ahead once that place\'s lease lapses, reads it as maybe sent, and is not told the other restore\'s outcome', async () => {
    const watch = new RestorePlaceWatch();
    const harness = await startHarness({ kinds: ['onapp'], store: new WatchedMemoryStore(watch), configure: withProviderSettings({ cacheTtlMs: 0, timeoutMs: POST_TIMEOUT_MS }) });
    const simulator = harness.simulator('onapp').simulator as OnappSimulator;
    // Transactions naming only the VM, unlisted until the end: both restores read one watermark.
    simulator.asyncDelayMs = 10 * 60_000;
    simulator.restoreAssociates = 'vm';
    simulator.holdRestoreListing = true;
    const transactions = transactionsByBackup(simulator);
    try {
      const { first, second } = await twoBackupsOfOneVm(harness.gql, simulator);
      watch.loseSentMarks = true;
      const earlier = await harness.gql<Restored>(RESTORE, { input: { backupId: first.id, confirm: true } });
      expect(errorCodes(earlier)).toEqual([]);
      watch.loseSentMarks = false;
      // The later restore waits on place 1 until its lease, no longer renewed once its POST was
      // answered, lapses. Before, it waited its 30 s and was refused CONFLICT.
      const laterAnswer = await harness.gql<Restored>(RESTORE, { input: { backupId: second.id, confirm: true } });
      expect(errorCodes(laterAnswer)).toEqual([]);
      // Counted, not timed: the lease's lapse is a few reads of the places, far from the 30 s of reads it had before.
      const reads = watch.placeReadsAfterSecondPlace;
      expect(reads, `the later restore read the places ${reads} times waiting on place 1 (its lease is ${LEASE_MS} ms): the abandoned place is held again`).toBeLessThanOrEqual(READS_WITHIN_LEASE);
      expect(decodeOperationId(laterAnswer.data!.restoreBackup.operation.id).token[1]).toBe('2');
      const earlierTransaction = transactions.made.get(first.nativeId)!;
      const laterTransaction = transactions.made.get(second.nativeId)!;
      earlierTransaction.doneAt = 0;
      earlierTransaction.fails = true;
      laterTransaction.doneAt = 0;
      simulator.listHeldTransactions();
      expect((await harness.gql(OPERATION, { id: earlier.data!.restoreBackup.operation.id })).data).toEqual({ operation: { status: 'FAILED', error: 'transaction failed' } });
      // Place 1 may or may not have made a transaction: both positions are candidates, and they differ.
      const pending = await harness.gql<{ operation: { status: string; error: string } }>(OPERATION, { id: laterAnswer.data!.restoreBackup.operation.id });
      expect(pending.data?.operation.status).toBe('PENDING');
      expect(pending.data?.operation.error).toContain('cannot be told until OnApp lists them all');
    } finally {
      transactions.stop();
      await harness.close();
    }
  }, 15_000);
});

describe('onapp: a restore whose own lease lapsed before its POST (its renewals lost)', () => {
  it('is refused CONFLICT with nothing sent to OnApp and its place given up: a later restore may have read it as abandoned and gone ahead', async () => {
    const watch = new RestorePlaceWatch();
    const harness = await startHarness({ kinds: ['onapp'], store: new WatchedMemoryStore(watch), configure: withProviderSettings({ cacheTtlMs: 0 }) });
    const simulator = harness.simulator('onapp').simulator as OnappSimulator;
    simulator.holdRestoreListing = true;
    const transactions = transactionsByBackup(simulator);
    try {
      const { first } = await twoBackupsOfOneVm(harness.gql, simulator);
      watch.lapseLeases = true;
      const refused = await harness.gql<Restored>(RESTORE, { input: { backupId: first.id, confirm: true } });
      expect(errorCodes(refused)).toEqual(['CONFLICT']);
      expect(refused.errors?.[0]?.message).toContain('was not renewed in time');
      expect(refused.errors?.[0]?.message).toContain('nothing was sent to OnApp');
      expect(transactions.made.has(first.nativeId)).toBe(false);
      watch.lapseLeases = false;
      // Given up (and deleted, no later place held): the retry takes place 1 again.
      const retry = await harness.gql<Restored>(RESTORE, { input: { backupId: first.id, confirm: true } });
      expect(errorCodes(retry)).toEqual([]);
      expect(decodeOperationId(retry.data!.restoreBackup.operation.id).token[1]).toBe('1');
    } finally {
      transactions.stop();
      await harness.close();
    }
  });
});

describe.skipIf(!redis.url)(redisSuite('onapp: a restore after a place whose replica was cut off mid-POST (two gateways sharing Redis)', redis), () => {
  it('goes ahead within the lease, not refused for 30 minutes, and is told its own outcome', async () => {
    const url = redis.url as string;
    const proxy = await startRedisProxy(url);
    const prefix = `bg-test-${randomUUID()}:`;
    const watch = new RestorePlaceWatch();
    const stores = [new RedisStore(proxy.url, prefix), new WatchedRedisStore(url, prefix, watch)] as const;
    await Promise.all(stores.map((store) => store.ready()));
    const harness = await startHarness({ kinds: ['onapp'], store: stores[0], configure: withProviderSettings({ cacheTtlMs: 0, timeoutMs: POST_TIMEOUT_MS }) });
    const survivor = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: stores[1] });
    const simulator = harness.simulator('onapp').simulator as OnappSimulator;
    simulator.holdRestoreListing = true;
    const transactions = transactionsByBackup(simulator);
    const { first, second } = await twoBackupsOfOneVm(harness.gql, simulator);
    const hold = simulator.holdRestoresOf(first.nativeId);
    const dying = harness.gql<Restored>(RESTORE, { input: { backupId: first.id, confirm: true } });
    try {
      await hold.arrived;
      // Place 1 is taken and its POST is in flight: its replica loses Redis for good (no renewal, no mark).
      proxy.cut();
      const later = await gqlAt(survivor.graphqlUrl)<Restored>(RESTORE, { input: { backupId: second.id, confirm: true } });
      expect(errorCodes(later)).toEqual([]);
      // Counted, not timed: the lease's lapse is a few reads of the places, far from the restore's 30 s of reads.
      const reads = watch.placeReadsAfterSecondPlace;
      expect(reads, `the survivor's restore read the places ${reads} times waiting on place 1 (its lease is ${LEASE_MS} ms): a place whose replica lost Redis is held again`).toBeLessThanOrEqual(READS_WITHIN_LEASE);
      expect(decodeOperationId(later.data!.restoreBackup.operation.id).token[1]).toBe('2');
      transactions.made.get(second.nativeId)!.doneAt = 0;
      simulator.listHeldTransactions();
      const poll = (): ReturnType<Harness['gql']> => gqlAt(survivor.graphqlUrl)(OPERATION, { id: later.data!.restoreBackup.operation.id });
      // Place 1's POST may still be listed: until then, or its 30 minutes, the restore cannot be told.
      expect(((await poll()).data as { operation: { status: string } }).operation.status).toBe('PENDING');
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + PAST_UNSEEN_MS);
      expect((await poll()).data).toEqual({ operation: { status: 'SUCCEEDED', error: null } });
    } finally {
      vi.useRealTimers();
      hold.release();
      await dying;
      transactions.stop();
      proxy.mend();
      await survivor.close();
      await harness.close();
      await proxy.close();
      const client = new Redis(url);
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(...keys);
      await client.quit();
    }
  }, 20_000);
});
