import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { decodeOperationId } from '../../src/gateway/ids.js';
import { createLogger } from '../../src/observability/logger.js';
import { startGatewayServer } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import type { OnappSimulator, SimTransaction } from '../../src/providers/onapp/simulator.js';
import { errorCodes, type GraphQLAnswer, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

/**
 * A restore whose own POST was slow (held at the simulator) while 30 other transactions of its VM
 * (reboots) were listed: its transaction came after them, four pages of ten above the newest one it
 * read before its POST. Looked for on the watermark's page and the two above, it was never seen
 * (PENDING with its transaction complete; FAILED after 30 minutes). The gateway reads the VM's
 * newest transaction once more after the POST is answered, and the id and the place's note carry it.
 */
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';
const INSTANCES = '{ instances { edges { node { nativeId backups { id nativeId } } } } }';
const TRANSACTIONS = 'GET /virtual_machines/:id/transactions.json';
/** More than the watermark's page and the two above hold (ten a page). */
const REBOOTS_DURING_POST = 30;

interface Listed {
  instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ id: string; nativeId: string }> } }> };
}
interface Restored {
  restoreBackup: { operation: { id: string } };
}

/** A VM with two built backups (the simulator's seed has one). */
async function vmWithTwoBackups(harness: Harness, simulator: OnappSimulator) {
  const listed = await harness.gql<Listed>(INSTANCES);
  const built = (backups: Array<{ id: string; nativeId: string }>) => backups.filter((backup) => Date.now() >= (simulator.backups.get(Number(backup.nativeId))?.builtAt ?? Infinity));
  const node = listed.data!.instances.edges.map((edge) => edge.node).find((vm) => built(vm.backups).length >= 2)!;
  const [first, second] = built(node.backups);
  return { vmId: Number(node.nativeId), first: first!, second: second! };
}

async function restore(ask: Ask, backupId: string): Promise<string> {
  const answer = await ask<Restored>(RESTORE, { input: { backupId, confirm: true } });
  expect(errorCodes(answer)).toEqual([]);
  return answer.data!.restoreBackup.operation.id;
}

/** The pages of the VM's transactions read since `from` in the simulator's log (1: asked without `page`). */
const pagesRead = (simulator: OnappSimulator, from: number): number[] =>
  simulator.server.log.slice(from).filter((request) => request.label === TRANSACTIONS).map((request) => Number(new URLSearchParams(request.query).get('page') ?? 1));

describe('onapp: a restore whose POST was slow while 30 other transactions of its VM were listed', () => {
  it('is found above them, and its id and note say how far up', async () => {
    const harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    const simulator = harness.simulator('onapp').simulator as OnappSimulator;
    const made: SimTransaction[] = [];
    simulator.restoreEvents.on('restore', (_backupId: number, transaction: SimTransaction) => made.push(transaction));
    try {
      simulator.asyncDelayMs = 10 * 60_000;
      simulator.restoreAssociates = 'vm';
      const listed = await harness.gql<Listed>(INSTANCES);
      const node = listed.data!.instances.edges.map((edge) => edge.node).find((vm) => vm.backups.some((backup) => Date.now() >= (simulator.backups.get(Number(backup.nativeId))?.builtAt ?? Infinity)))!;
      const backup = node.backups.find((candidate) => Date.now() >= (simulator.backups.get(Number(candidate.nativeId))?.builtAt ?? Infinity))!;
      const vmId = Number(node.nativeId);
      simulator.addTransactions(vmId, 'reboot_virtual_server', 15);
      const watermark = simulator.transactions.at(-1)!.id;

      const hold = simulator.holdRestoresOf(Number(backup.nativeId));
      const asked = harness.gql<Restored>(RESTORE, { input: { backupId: backup.id, confirm: true } });
      await hold.arrived;
      simulator.addTransactions(vmId, 'reboot_virtual_server', REBOOTS_DURING_POST);
      hold.release();
      const answer = await asked;
      expect(errorCodes(answer)).toEqual([]);
      const operationId = answer.data!.restoreBackup.operation.id;
      const own = made[0]!;
      // Place 1 of its own series; the third part is the newest transaction listed once its POST was answered: its own.
      expect(decodeOperationId(operationId).token).toEqual([String(watermark), '1', String(own.id)]);

      own.doneAt = 0;
      const before = simulator.server.log.length;
      expect((await harness.gql(OPERATION, { id: operationId })).data).toEqual({ operation: { status: 'SUCCEEDED', error: null } });
      // 1, 2, 4 (the watermark's), 3: searched from 4 up to its own transaction on page 1, the pages
      // above already read. Four reads, as before, when pages 4 to 2 were searched, and it read PENDING.
      expect(pagesRead(simulator, before)).toEqual([1, 2, 4, 3]);
    } finally {
      simulator.restoreEvents.removeAllListeners('restore');
      await harness.close();
    }
  });
});

/** Sends a GraphQL request to one gateway process. */
type Ask = <T>(query: string, variables?: Record<string, unknown>) => Promise<GraphQLAnswer<T>>;

/**
 * Place 1 restored at once (its transaction not listed yet); place 2 asked of `askSecond`, its POST
 * held while the first's transaction and 30 reboots are listed: its own comes after them. Each is
 * polled through the gateway that did not ask it when there are two.
 */
async function placeTwoPostedSlowly(harness: Harness, simulator: OnappSimulator, askSecond: Ask): Promise<void> {
  const made = new Map<number, SimTransaction>();
  simulator.restoreEvents.on('restore', (backupId: number, transaction: SimTransaction) => made.set(backupId, transaction));
  try {
    simulator.asyncDelayMs = 10 * 60_000;
    simulator.restoreAssociates = 'vm';
    // The first restore's transaction is not listed when the second reads the VM's: both read one watermark.
    simulator.holdRestoreListing = true;
    const { vmId, first, second } = await vmWithTwoBackups(harness, simulator);
    simulator.addTransactions(vmId, 'reboot_virtual_server', 15);
    const watermark = simulator.transactions.at(-1)!.id;
    const firstId = await restore(harness.gql, first.id);

    const hold = simulator.holdRestoresOf(Number(second.nativeId));
    const asked = restore(askSecond, second.id);
    await hold.arrived;
    simulator.holdRestoreListing = false;
    simulator.listHeldTransactions();
    simulator.addTransactions(vmId, 'reboot_virtual_server', REBOOTS_DURING_POST);
    hold.release();
    const secondId = await asked;
    const [firstTransaction, secondTransaction] = [made.get(Number(first.nativeId))!, made.get(Number(second.nativeId))!];
    expect(decodeOperationId(firstId).token).toEqual([String(watermark), '1']);
    expect(decodeOperationId(secondId).token).toEqual([String(watermark), '2', String(secondTransaction.id)]);

    firstTransaction.doneAt = 0;
    secondTransaction.doneAt = 0;
    secondTransaction.fails = true;
    // Looked for up to place 1's transaction and two pages more, it read PENDING (its own failed
    // transaction four pages up); the page reads are the same four: 1, 2, 4, 3.
    const before = simulator.server.log.length;
    expect((await harness.gql(OPERATION, { id: secondId })).data).toEqual({ operation: { status: 'FAILED', error: 'transaction failed' } });
    expect(pagesRead(simulator, before)).toEqual([1, 2, 4, 3]);
    expect((await askSecond(OPERATION, { id: firstId })).data).toEqual({ operation: { status: 'SUCCEEDED', error: null } });
  } finally {
    simulator.restoreEvents.removeAllListeners('restore');
  }
}

describe('onapp: a restore at place 2 whose POST was slow while 30 other transactions of its VM were listed', () => {
  it('is found above them: the note written before its POST is written again after it, and the id matches it', async () => {
    const harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    try {
      await placeTwoPostedSlowly(harness, harness.simulator('onapp').simulator as OnappSimulator, harness.gql);
    } finally {
      await harness.close();
    }
  });
});

const redis = await testRedis();

describe.skipIf(!redis.url)(redisSuite('onapp: the same on two gateway processes sharing Redis', redis), () => {
  it('the restore asked of one is found by a poll of the other, which reads the note written after its POST', async () => {
    const prefix = `bg-test-${randomUUID()}:`;
    const stores = [new RedisStore(redis.url as string, prefix), new RedisStore(redis.url as string, prefix)] as const;
    await Promise.all(stores.map((store) => store.ready()));
    const harness = await startHarness({ kinds: ['onapp'], store: stores[0], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    const other = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: stores[1] });
    const askOther: Ask = async <T>(query: string, variables?: Record<string, unknown>) => {
      const response = await fetch(other.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      return (await response.json()) as GraphQLAnswer<T>;
    };
    try {
      await placeTwoPostedSlowly(harness, harness.simulator('onapp').simulator as OnappSimulator, askOther);
    } finally {
      await other.close();
      await harness.close();
      const client = new Redis(redis.url as string);
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(...keys);
      await client.quit();
    }
  });
});
