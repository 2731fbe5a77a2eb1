import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeOperationId } from '../../src/gateway/ids.js';
import { RESTORE_ORDER_NAMESPACE } from '../../src/providers/onapp/restore-place.js';
import type { OnappSimulator, SimTransaction } from '../../src/providers/onapp/simulator.js';
import { CREATE_ORDER_NAMESPACE } from '../../src/state/create-order.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { RedisStore } from '../../src/state/redis-store.js';
import type { KeyValueStore } from '../../src/state/store.js';
import { errorCodes, type GraphQLAnswer, type Harness, withHarness, withProviderSettings } from '../helpers/harness.js';
import { CREATE, type Created, finishedBackup, highestBackupId, instanceIds } from '../helpers/onapp-creates.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { WriteGate } from '../helpers/write-gate.js';

const redis = await testRedis();
afterAll(() => redis.stop());

/**
 * C's take saw place 1 free, and B took it first; while C went on to place 2, B's call was refused
 * and B gave place 1 up, deleted (no later place held then). C held place 2 above a free place 1:
 * a restore counted it as a restore sent and waited for a second transaction (FAILED after 30
 * minutes), a create for a second backup; and D, asked next, took place 1 again and sent its call
 * after C's, so C and D were told each other's outcome.
 */

const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';
const INSTANCES = '{ instances { edges { node { nativeId backups { id nativeId } } } } }';

interface Listed {
  instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ id: string; nativeId: string }> } }> };
}
type Restored = GraphQLAnswer<{ restoreBackup: { operation: { id: string } } }>;

/** The store kinds the gateway runs on here: memory, and Redis under a prefix of its own when there is one. */
const stores: Array<readonly [string, () => Promise<KeyValueStore>]> = [['memory', async () => new MemoryStore()]];
const prefixes: string[] = [];
if (redis.url) {
  stores.push([
    'redis',
    async () => {
      const prefix = `bg-test-${randomUUID()}:`;
      prefixes.push(prefix);
      const store = new RedisStore(redis.url as string, prefix);
      await store.ready();
      return store;
    },
  ]);
} else describe.skip(redisSuite('onapp places freed during a take, over Redis', redis), () => it('needs Redis', () => {}));

afterAll(async () => {
  if (!redis.url || prefixes.length === 0) return;
  const client = new Redis(redis.url);
  for (const prefix of prefixes) {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
  }
  await client.quit();
});

const isPlace = (place: number) => (key: string) => key.endsWith(`:${place}`);

/**
 * Runs C, then B in the gap between C's look at the series and its write to place 1; B's call is
 * refused (its VM locked), and B gives its place up while C's write to place 2 waits. Returns C's answer.
 */
async function takeWhileAnotherGivesUp<T>(gate: WriteGate, lockVm: (locked: boolean) => void, askC: () => Promise<GraphQLAnswer<T>>, askB: () => Promise<GraphQLAnswer<unknown>>): Promise<GraphQLAnswer<T>> {
  const cAtFirst = gate.holdWrite(isPlace(1));
  const c = askC();
  await cAtFirst.reached;
  // B's take of place 1 goes through; its give-up's mark waits.
  const bGivingUp = gate.holdWrite(isPlace(1), 1);
  lockVm(true);
  const b = askB();
  await bGivingUp.reached;
  const cAtSecond = gate.holdWrite(isPlace(2));
  cAtFirst.release();
  await cAtSecond.reached;
  bGivingUp.release();
  expect(errorCodes(await b)).toEqual(['CONFLICT']);
  lockVm(false);
  cAtSecond.release();
  return c;
}

describe.each(stores)('onapp: a place given up and freed while another take tries the one after it (%s store)', (_name, createStore) => {
  it('a restore takes the freed place: it is told its own outcome, and the next restore of the series its own', async () => {
    const gate = new WriteGate();
    const store = gate.onNamespace(await createStore(), RESTORE_ORDER_NAMESPACE);
    await withHarness({ kinds: ['onapp'], store, configure: withProviderSettings({ cacheTtlMs: 0 }) }, async (harness) => {
      const simulator = harness.simulator('onapp').simulator as OnappSimulator;
      // Transactions name the VM and run until the test ends them; none listed until then, so every restore reads one watermark.
      simulator.asyncDelayMs = 10 * 60_000;
      simulator.restoreAssociates = 'vm';
      simulator.holdRestoreListing = true;
      const { vmId, first, second } = await vmWithTwoBackups(harness, simulator);
      const made = new Map<number, SimTransaction>();
      const record = (backupId: number, transaction: SimTransaction): void => void made.set(backupId, transaction);
      simulator.restoreEvents.on('restore', record);
      try {
        const restore = (backup: { id: string }) => () => harness.gql(RESTORE, { input: { backupId: backup.id, confirm: true } }) as Promise<Restored>;
        const lockVm = (locked: boolean) => void (simulator.vms.get(vmId)!.locked = locked);
        const c = await takeWhileAnotherGivesUp(gate, lockVm, restore(first), restore(second));
        expect(errorCodes(c)).toEqual([]);
        const cId = c.data!.restoreBackup.operation.id;
        // Place 2 above a free place 1 counted that place as a restore sent: C waited for the VM's second transaction.
        expect(decodeOperationId(cId).token[1]).toBe('1');
        const d = await restore(second)();
        expect(errorCodes(d)).toEqual([]);
        const dId = d.data!.restoreBackup.operation.id;
        expect(decodeOperationId(dId).token[1]).toBe('2');
        const cTransaction = made.get(Number(first.nativeId))!;
        const dTransaction = made.get(Number(second.nativeId))!;
        expect(cTransaction.id).toBeLessThan(dTransaction.id);
        cTransaction.doneAt = 0;
        cTransaction.fails = true;
        dTransaction.doneAt = 0;
        simulator.listHeldTransactions();
        expect((await harness.gql(OPERATION, { id: cId })).data).toEqual({ operation: { status: 'FAILED', error: 'transaction failed' } });
        expect((await harness.gql(OPERATION, { id: dId })).data).toEqual({ operation: { status: 'SUCCEEDED', error: null } });
      } finally {
        simulator.restoreEvents.off('restore', record);
      }
    });
  });

  it('a create takes the freed place: it is told its own backup, and the next create of the disk its own', async () => {
    const gate = new WriteGate();
    const store = gate.onNamespace(await createStore(), CREATE_ORDER_NAMESPACE);
    await withHarness({ kinds: ['onapp'], store, configure: withProviderSettings({ cacheTtlMs: 0 }) }, async (harness) => {
      const simulator = harness.simulator('onapp').simulator as OnappSimulator;
      const vm = (await instanceIds(harness))[3]!;
      const create = (name: string) => () => harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name } });
      const lockVm = (locked: boolean) => void (simulator.vms.get(Number(vm.nativeId))!.locked = locked);
      const before = highestBackupId(simulator);
      const c = await takeWhileAnotherGivesUp(gate, lockVm, create('c'), create('b'));
      expect(errorCodes(c)).toEqual([]);
      const cMade = String(highestBackupId(simulator));
      expect(Number(cMade)).toBeGreaterThan(before);
      // Counting the free place 1 as a create that made a backup, C looked for a second new backup: PENDING, then FAILED.
      expect(decodeOperationId(c.data!.createBackup!.operation.id).token[2]).toBe('1');
      expect(await finishedBackup(harness.gql, c.data!.createBackup!.operation.id)).toMatchObject({ status: 'SUCCEEDED', backup: { nativeId: cMade } });
      const d = await create('d')();
      expect(errorCodes(d)).toEqual([]);
      const dMade = String(highestBackupId(simulator));
      expect(await finishedBackup(harness.gql, d.data!.createBackup!.operation.id)).toMatchObject({ status: 'SUCCEEDED', backup: { nativeId: dMade } });
    });
  });
});

/** A VM with two built backups (their ids and OnApp ids). */
async function vmWithTwoBackups(harness: Harness, simulator: OnappSimulator): Promise<{ vmId: number; first: { id: string; nativeId: string }; second: { id: string; nativeId: string } }> {
  const answer = await harness.gql<Listed>(INSTANCES);
  expect(answer.errors).toBeUndefined();
  for (const { node } of answer.data!.instances.edges) {
    const built = node.backups.filter((backup) => Date.now() >= (simulator.backups.get(Number(backup.nativeId))?.builtAt ?? Infinity));
    if (built.length >= 2) return { vmId: Number(node.nativeId), first: built[0]!, second: built[1]! };
  }
  throw new Error('no VM with two built backups');
}
