import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeOperationId } from '../../src/gateway/ids.js';
import { createLogger } from '../../src/observability/logger.js';
import { RESTORE_TURN_WAIT_MS } from '../../src/providers/onapp/restore-place.js';
import type { OnappSimulator, SimTransaction } from '../../src/providers/onapp/simulator.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { errorCodes, gqlAt, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { RestorePlaceWatch, WatchedMemoryStore, WatchedRedisStore } from '../helpers/restore-turns.js';

const redis = await testRedis();
afterAll(() => redis.stop());

/**
 * OnApp's restore POST answers no transaction id: each restore of a VM takes a place in a series
 * first, and the n-th place is told the n-th restore transaction OnApp lists. Two restores whose
 * places were taken in one order and whose POSTs reached OnApp in the other (two replicas, or two
 * connections of one) were told each other's outcome: a SUCCEEDED for the restore that failed.
 */

const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';
const INSTANCES = '{ instances { edges { node { nativeId backups { id nativeId } } } } }';

type Ask = Harness['gql'];
interface Listed {
  instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ id: string; nativeId: string }> } }> };
}
interface Restored {
  restoreBackup: { operation: { id: string } };
}
interface TwoBackups {
  first: { id: string; nativeId: number };
  second: { id: string; nativeId: number };
}

/** VMs of each simulator used by a test already: their restores would share a watermark with the next test's. */
const usedOf = new WeakMap<OnappSimulator, Set<string>>();

/** Two built backups of a VM no test of this file has restored. */
async function twoBackupsOfOneVm(ask: Ask, simulator: OnappSimulator): Promise<TwoBackups> {
  const answer = await ask<Listed>(INSTANCES);
  expect(answer.errors).toBeUndefined();
  const used = usedOf.get(simulator) ?? new Set<string>();
  usedOf.set(simulator, used);
  for (const { node } of answer.data!.instances.edges) {
    const built = node.backups.filter((backup) => Date.now() >= (simulator.backups.get(Number(backup.nativeId))?.builtAt ?? Infinity));
    if (used.has(node.nativeId) || built.length < 2) continue;
    used.add(node.nativeId);
    const [first, second] = built.map((backup) => ({ id: backup.id, nativeId: Number(backup.nativeId) }));
    return { first: first!, second: second! };
  }
  throw new Error('no VM with two built backups left');
}

/** Each restore's transaction, by backup, as OnApp makes them. */
function transactionsByBackup(simulator: OnappSimulator): { made: Map<number, SimTransaction>; madeFor(backupId: number): Promise<void>; stop(): void } {
  const made = new Map<number, SimTransaction>();
  const waiters = new Map<number, () => void>();
  const listener = (backupId: number, transaction: SimTransaction): void => {
    made.set(backupId, transaction);
    waiters.get(backupId)?.();
  };
  simulator.restoreEvents.on('restore', listener);
  return {
    made,
    madeFor: (backupId) => new Promise((resolve) => waiters.set(backupId, resolve)),
    stop: () => simulator.restoreEvents.off('restore', listener),
  };
}

/** Restores asked on `askEarlier` then `askLater` (two replicas, or one twice); polled on the other one. */
async function restoresWhosePostsCross(simulator: OnappSimulator, watch: RestorePlaceWatch, askEarlier: Ask, askLater: Ask): Promise<void> {
  const { first, second } = await twoBackupsOfOneVm(askEarlier, simulator);
  const transactions = transactionsByBackup(simulator);
  let release = (): void => {};
  let finished = Promise.resolve();
  try {
    // The earlier restore's POST is slow to reach OnApp: it waits at the simulator.
    const hold = simulator.holdRestoresOf(first.nativeId);
    const earlier = askEarlier<Restored>(RESTORE, { input: { backupId: first.id, confirm: true } });
    finished = earlier.then(() => {});
    release = () => hold.release();
    await hold.arrived;
    const later = askLater<Restored>(RESTORE, { input: { backupId: second.id, confirm: true } });
    // Released once the later restore has reached OnApp, or is waiting for the earlier one's turn.
    await Promise.race([transactions.madeFor(second.nativeId), watch.readAfterSecondPlace]);
    hold.release();
    const [earlierAnswer, laterAnswer] = await Promise.all([earlier, later]);
    expect(errorCodes(earlierAnswer)).toEqual([]);
    expect(errorCodes(laterAnswer)).toEqual([]);
    const earlierId = earlierAnswer.data!.restoreBackup.operation.id;
    const laterId = laterAnswer.data!.restoreBackup.operation.id;
    expect([decodeOperationId(earlierId).token[1], decodeOperationId(laterId).token[1]]).toEqual(['1', '2']);
    const earlierTransaction = transactions.made.get(first.nativeId)!;
    const laterTransaction = transactions.made.get(second.nativeId)!;
    earlierTransaction.doneAt = 0;
    earlierTransaction.fails = true;
    laterTransaction.doneAt = 0;
    // Each polled on the replica that did not ask it: the places are shared.
    expect((await askLater(OPERATION, { id: earlierId })).data).toEqual({ operation: { status: 'FAILED', error: 'transaction failed' } });
    expect((await askEarlier(OPERATION, { id: laterId })).data).toEqual({ operation: { status: 'SUCCEEDED', error: null } });
    // OnApp got the POSTs in the order of their places.
    expect(earlierTransaction.id).toBeLessThan(laterTransaction.id);
  } finally {
    release();
    await finished;
    transactions.stop();
  }
}

/** Restores of the VM whose transactions name the VM (as the docs' VS transaction example does), running until a test ends them. */
function playRestoresNamingTheVm(simulator: OnappSimulator): void {
  simulator.asyncDelayMs = 10 * 60_000;
  simulator.restoreAssociates = 'vm';
}

describe('onapp: a restore POSTs only once the restores before it in its series were sent (one gateway, memory store)', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  let watch: RestorePlaceWatch;
  beforeAll(async () => {
    watch = new RestorePlaceWatch();
    harness = await startHarness({ kinds: ['onapp'], store: new WatchedMemoryStore(watch), configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
    playRestoresNamingTheVm(simulator);
  });
  afterAll(() => harness.close());
  afterEach(() => {
    vi.useRealTimers();
    watch = new RestorePlaceWatch();
  });

  it('two restores whose POSTs would reach OnApp in the other order than their places: each is told its own outcome', async () => {
    await restoresWhosePostsCross(simulator, watch, harness.gql, harness.gql);
  });
});

describe('onapp: a restore whose earlier place is not sent within its wait', () => {
  it('is refused CONFLICT, saying why, with nothing sent to OnApp and its place given up: the next restore of the series POSTs once the earlier one is sent, and each is told its own outcome', async () => {
    const watch = new RestorePlaceWatch();
    const harness = await startHarness({ kinds: ['onapp'], store: new WatchedMemoryStore(watch), configure: withProviderSettings({ cacheTtlMs: 0 }) });
    const simulator = harness.simulator('onapp').simulator as OnappSimulator;
    playRestoresNamingTheVm(simulator);
    // Nothing listed until the end: every restore below reads one watermark, so shares one series.
    simulator.holdRestoreListing = true;
    const transactions = transactionsByBackup(simulator);
    const { first, second } = await twoBackupsOfOneVm(harness.gql, simulator);
    const hold = simulator.holdRestoresOf(first.nativeId);
    const earlier = harness.gql<Restored>(RESTORE, { input: { backupId: first.id, confirm: true } });
    try {
      await hold.arrived;
      const later = harness.gql<Restored>(RESTORE, { input: { backupId: second.id, confirm: true } });
      // A restore that POSTs at once is never refused: its transaction is made, and the test goes on to fail.
      await Promise.race([transactions.madeFor(second.nativeId), watch.readAfterSecondPlace]);
      // The wait is measured on the monotonic clock: it is moved past the wait, not the wall clock
      // (a faked clock starts at 0: moved past the real one's reading first).
      const monotonicNow = performance.now();
      vi.useFakeTimers({ toFake: ['performance'] });
      vi.advanceTimersByTime(monotonicNow + RESTORE_TURN_WAIT_MS + 1_000);
      const refused = await later;
      vi.useRealTimers();
      expect(errorCodes(refused)).toEqual(['CONFLICT']);
      expect(refused.errors?.[0]?.message).toContain('was still being sent to OnApp');
      expect(transactions.made.has(second.nativeId)).toBe(false);
      hold.release();
      const earlierAnswer = await earlier;
      expect(errorCodes(earlierAnswer)).toEqual([]);
      // Counted as sent, the refused place would hold this one's turn until its wait ran out too.
      const next = await harness.gql<Restored>(RESTORE, { input: { backupId: second.id, confirm: true } });
      expect(errorCodes(next)).toEqual([]);
      const earlierTransaction = transactions.made.get(first.nativeId)!;
      const nextTransaction = transactions.made.get(second.nativeId)!;
      earlierTransaction.doneAt = 0;
      earlierTransaction.fails = true;
      nextTransaction.doneAt = 0;
      simulator.listHeldTransactions();
      expect((await harness.gql(OPERATION, { id: earlierAnswer.data!.restoreBackup.operation.id })).data).toEqual({ operation: { status: 'FAILED', error: 'transaction failed' } });
      expect((await harness.gql(OPERATION, { id: next.data!.restoreBackup.operation.id })).data).toEqual({ operation: { status: 'SUCCEEDED', error: null } });
    } finally {
      vi.useRealTimers();
      hold.release();
      await earlier;
      transactions.stop();
      await harness.close();
    }
  });
});

describe('onapp: a restore whose client leaves while it waits for its turn', () => {
  it('gives its place up and never POSTs: the retry the client sends is the one restore OnApp gets', async () => {
    const watch = new RestorePlaceWatch();
    const harness = await startHarness({ kinds: ['onapp'], store: new WatchedMemoryStore(watch), configure: withProviderSettings({ cacheTtlMs: 0 }) });
    const simulator = harness.simulator('onapp').simulator as OnappSimulator;
    playRestoresNamingTheVm(simulator);
    simulator.holdRestoreListing = true;
    const posted: number[] = [];
    const countPosts = (backupId: number): void => void posted.push(backupId);
    simulator.restoreEvents.on('restore', countPosts);
    const { first, second } = await twoBackupsOfOneVm(harness.gql, simulator);
    const hold = simulator.holdRestoresOf(first.nativeId);
    const earlier = harness.gql<Restored>(RESTORE, { input: { backupId: first.id, confirm: true } });
    try {
      await hold.arrived;
      // The later restore's client gives up (its own timeout, say) while the restore waits for place 1.
      const leaving = new AbortController();
      const later = fetch(harness.gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: RESTORE, variables: { input: { backupId: second.id, confirm: true } } }),
        signal: leaving.signal,
      }).catch(() => null);
      await watch.readAfterSecondPlace;
      leaving.abort();
      await later;
      // Before, the wait went on for nobody, and POSTed once place 1 was sent: with the retry, two restores.
      await watch.secondGivenUp;
      hold.release();
      expect(errorCodes(await earlier)).toEqual([]);
      const retry = await harness.gql<Restored>(RESTORE, { input: { backupId: second.id, confirm: true } });
      expect(errorCodes(retry)).toEqual([]);
      expect(decodeOperationId(retry.data!.restoreBackup.operation.id).token[1]).toBe('2');
      expect(posted.filter((backupId) => backupId === second.nativeId)).toHaveLength(1);
    } finally {
      hold.release();
      await earlier;
      simulator.restoreEvents.off('restore', countPosts);
      await harness.close();
    }
  }, 15_000);
});

describe('onapp: a restore whose client leaves while its look at the places before its own is out', () => {
  it('sends nothing though that look finds its turn: the retry the client sends is the one restore OnApp gets', async () => {
    const watch = new RestorePlaceWatch();
    const harness = await startHarness({ kinds: ['onapp'], store: new WatchedMemoryStore(watch), configure: withProviderSettings({ cacheTtlMs: 0 }) });
    const simulator = harness.simulator('onapp').simulator as OnappSimulator;
    playRestoresNamingTheVm(simulator);
    simulator.holdRestoreListing = true;
    const posted: number[] = [];
    const countPosts = (backupId: number): void => void posted.push(backupId);
    simulator.restoreEvents.on('restore', countPosts);
    const { first, second } = await twoBackupsOfOneVm(harness.gql, simulator);
    const hold = simulator.holdRestoresOf(first.nativeId);
    const earlier = harness.gql<Restored>(RESTORE, { input: { backupId: first.id, confirm: true } });
    const read = watch.holdNextRead();
    // Its look at place 1 goes to the store once the gateway has seen the client gone: the
    // gateway's own listener on the response's close ran before this one's next turn of the loop.
    const onRequest = (_request: IncomingMessage, response: ServerResponse): void => {
      response.once('close', () => {
        if (!response.writableFinished) setImmediate(read.release);
      });
    };
    harness.gateway.httpServer.on('request', onRequest);
    try {
      await hold.arrived;
      const leaving = new AbortController();
      const later = fetch(harness.gateway.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: RESTORE, variables: { input: { backupId: second.id, confirm: true } } }),
        signal: leaving.signal,
      }).catch(() => null);
      await read.arrived;
      // Place 1 is sent while the look is out: the look finds the later restore's turn.
      hold.release();
      expect(errorCodes(await earlier)).toEqual([]);
      leaving.abort();
      await later;
      // Before, the turn it found was taken, and its POST went for nobody: with the retry, two restores.
      await Promise.race([watch.secondGivenUp, new Promise<void>((resolve) => simulator.restoreEvents.once('restore', () => resolve()))]);
      expect(posted.filter((backupId) => backupId === second.nativeId)).toHaveLength(0);
      const retry = await harness.gql<Restored>(RESTORE, { input: { backupId: second.id, confirm: true } });
      expect(errorCodes(retry)).toEqual([]);
      expect(decodeOperationId(retry.data!.restoreBackup.operation.id).token[1]).toBe('2');
      expect(posted.filter((backupId) => backupId === second.nativeId)).toHaveLength(1);
    } finally {
      harness.gateway.httpServer.off('request', onRequest);
      read.release();
      hold.release();
      await earlier;
      simulator.restoreEvents.off('restore', countPosts);
      await harness.close();
    }
  }, 15_000);
});

describe('onapp: a restore whose look at the places before its own is not answered', () => {
  it('is refused STORE_UNAVAILABLE before its POST, nothing sent to OnApp, and its place given up', async () => {
    const watch = new RestorePlaceWatch();
    const harness = await startHarness({ kinds: ['onapp'], store: new WatchedMemoryStore(watch), configure: withProviderSettings({ cacheTtlMs: 0 }) });
    const simulator = harness.simulator('onapp').simulator as OnappSimulator;
    playRestoresNamingTheVm(simulator);
    simulator.holdRestoreListing = true;
    const transactions = transactionsByBackup(simulator);
    try {
      const { first, second } = await twoBackupsOfOneVm(harness.gql, simulator);
      expect(errorCodes(await harness.gql(RESTORE, { input: { backupId: first.id, confirm: true } }))).toEqual([]);
      watch.failReadsAfterSecondPlace = true;
      const refused = await harness.gql<Restored>(RESTORE, { input: { backupId: second.id, confirm: true } });
      expect(errorCodes(refused)).toEqual(['STORE_UNAVAILABLE']);
      expect(refused.errors?.[0]?.message).toContain('nothing was sent to OnApp');
      expect(transactions.made.has(second.nativeId)).toBe(false);
      watch.failReadsAfterSecondPlace = false;
      // Given up (and deleted, no later place held): the next restore of the series takes place 2 again.
      const next = await harness.gql<Restored>(RESTORE, { input: { backupId: second.id, confirm: true } });
      expect(errorCodes(next)).toEqual([]);
      expect(decodeOperationId(next.data!.restoreBackup.operation.id).token[1]).toBe('2');
    } finally {
      transactions.stop();
      await harness.close();
    }
  });
});

describe.skipIf(!redis.url)(redisSuite('onapp: restores of one VM on two gateways sharing Redis, POSTs crossing on their way to OnApp', redis), () => {
  let harness: Harness;
  let other: RunningGateway;
  let simulator: OnappSimulator;
  const watch = new RestorePlaceWatch();
  const prefix = `bg-test-${randomUUID()}:`;
  beforeAll(async () => {
    const url = redis.url as string;
    const stores = [new WatchedRedisStore(url, prefix, new RestorePlaceWatch()), new WatchedRedisStore(url, prefix, watch)] as const;
    await Promise.all(stores.map((store) => store.ready()));
    harness = await startHarness({ kinds: ['onapp'], store: stores[0], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    other = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: stores[1] });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
    playRestoresNamingTheVm(simulator);
  });
  afterAll(async () => {
    await other.close();
    await harness.close();
    const client = new Redis(redis.url as string);
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
  });

  it('the first place asked on one gateway, the second on the other, whose POST would reach OnApp first: each is told its own outcome', async () => {
    await restoresWhosePostsCross(simulator, watch, harness.gql, gqlAt(other.graphqlUrl));
  });
});
