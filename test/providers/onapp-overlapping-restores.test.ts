import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decodeOperationId, operationId } from '../../src/gateway/ids.js';
import { UNSEEN_RESTORE_GIVES_UP_MS } from '../../src/providers/onapp/adapter.js';
import { createLogger } from '../../src/observability/logger.js';
import { RESTORE_ORDER_NAMESPACE } from '../../src/providers/onapp/restore-place.js';
import { MOST_OVERLAPPING_CREATES } from '../../src/state/create-order.js';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import type { SimulatorServer } from '../../src/simulator/server.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { RedisStore } from '../../src/state/redis-store.js';
import type { KeyValueStore } from '../../src/state/store.js';
import { errorCodes, type GraphQLAnswer, type Harness, startHarness, withHarness, withProviderSettings } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';

const redis = await testRedis();
afterAll(() => redis.stop());

/**
 * Two restores of one VM asked at once read the same watermark (the VM's newest transaction before
 * the request). Where OnApp's transactions name the VM, not the backup (the docs' VS transaction
 * example associates its VirtualMachine), both operations took the older transaction: the later
 * restore reported the earlier one's outcome.
 */

const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';
const INSTANCES = '{ instances { edges { node { nativeId backups { id nativeId } } } } }';

interface Listed {
  instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ id: string; nativeId: string }> } }> };
}

type Ask = <T>(query: string, variables: Record<string, unknown>) => Promise<GraphQLAnswer<T>>;
type Restored = GraphQLAnswer<{ restoreBackup: { operation: { id: string } } }>;

/** Transactions run until a test ends them; the restores' transactions name the VM, not the backup. */
function playRestoresNamingTheVm(simulator: OnappSimulator): void {
  simulator.asyncDelayMs = 10 * 60_000;
  simulator.restoreAssociates = 'vm';
}

/** What the tests of one gateway (or two) ask of it and its simulator. */
function restoresVia(harness: Harness, simulator: OnappSimulator) {
  /** VMs used: a VM's restores would share a watermark across tests. */
  const used = new Set<string>();
  return {
    /** A VM with two built backups (their ids, and the first one's OnApp id). */
    async vmWithTwoBackups(): Promise<{ vmId: number; first: string; second: string; firstNativeId: string }> {
      const answer = await harness.gql<Listed>(INSTANCES);
      expect(answer.errors).toBeUndefined();
      for (const { node } of answer.data!.instances.edges) {
        if (used.has(node.nativeId)) continue;
        const built = node.backups.filter((backup) => Date.now() >= (simulator.backups.get(Number(backup.nativeId))?.builtAt ?? Infinity));
        if (built.length < 2) continue;
        used.add(node.nativeId);
        return { vmId: Number(node.nativeId), first: built[0]!.id, second: built[1]!.id, firstNativeId: built[0]!.nativeId };
      }
      throw new Error('no VM with two built backups left');
    },
    /**
     * A VM the seed gives no backup (the others are for vmWithTwoBackups), with a built one copied
     * onto it: its id and OnApp id.
     */
    async vmWithACopiedBackup(): Promise<{ vmId: number; backup: string; backupNativeId: string }> {
      const answer = await harness.gql<Listed>(INSTANCES);
      expect(answer.errors).toBeUndefined();
      const bare = answer.data!.instances.edges.find(({ node }) => !used.has(node.nativeId) && node.backups.length === 0)?.node;
      const model = [...simulator.backups.values()].find((backup) => Date.now() >= backup.builtAt);
      if (!bare || !model) throw new Error('no VM without backups left');
      used.add(bare.nativeId);
      const id = Math.max(...simulator.backups.keys()) + 1;
      simulator.backups.set(id, { ...model, id, vmId: Number(bare.nativeId) });
      const listed = await harness.gql<Listed>(INSTANCES);
      const backup = listed.data!.instances.edges.find(({ node }) => node.nativeId === bare.nativeId)?.node.backups.find((item) => item.nativeId === String(id));
      if (!backup) throw new Error('the copied backup is not listed');
      return { vmId: Number(bare.nativeId), backup: backup.id, backupNativeId: backup.nativeId };
    },
    restore: async (backupId: string, ask: Ask = harness.gql): Promise<Restored> => ask(RESTORE, { input: { backupId, confirm: true } }),
    statusOf: async (id: string, ask: Ask = harness.gql) => (await ask<{ operation: { status: string; error: string | null } }>(OPERATION, { id })).data?.operation,
    restoresOf: (vmId: number) => simulator.transactions.filter((item) => item.vmId === vmId && item.action === 'restore_backup'),
  };
}

/** An operation id as the gateway answered it, but started `ms` earlier: its poll as it will be then. */
const startedEarlier = (id: string, ms: number): string => {
  const ref = decodeOperationId(id);
  return operationId({ ...ref, startedAt: new Date(ref.startedAt.getTime() - ms) });
};

/**
 * A restore whose POST fails after it may have reached OnApp (its answer cut) keeps its place,
 * uncertain: given up, its place was deleted (no later place held), the next restore took place 1
 * again and was told the cut one's outcome when OnApp had acted on it.
 */
function cutRestoreCases(context: () => { via: ReturnType<typeof restoresVia>; simulator: OnappSimulator; server: SimulatorServer }): void {
  it('an OnApp outage answering 5xx without acting: 32 restores of one VM fill its places uncertain and the next is refused CONFLICT, but once 30 minutes have passed with nothing new listed, a restore is accepted again (place 1)', async () => {
    const { via, server } = context();
    const { vmId, backup: first, backupNativeId } = await via.vmWithACopiedBackup();
    try {
      await server.setFault({ mode: 'http-503', onlyRequest: `POST /backups/${backupNativeId}/restore.json` });
      for (let attempt = 1; attempt <= MOST_OVERLAPPING_CREATES; attempt += 1) {
        const failed = await via.restore(first);
        expect(errorCodes(failed)).not.toEqual([]);
        expect(errorCodes(failed)).not.toContain('CONFLICT');
      }
      expect(errorCodes(await via.restore(first))).toEqual(['CONFLICT']);
      await server.clearFault();
      expect(via.restoresOf(vmId)).toHaveLength(0);
      // Still within the failed POSTs' 30 minutes, one of them may yet be listed.
      expect(errorCodes(await via.restore(first))).toEqual(['CONFLICT']);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + UNSEEN_RESTORE_GIVES_UP_MS + 60_000);
      const accepted = await via.restore(first);
      expect(errorCodes(accepted)).toEqual([]);
      expect(decodeOperationId(accepted.data!.restoreBackup.operation.id).token[1]).toBe('1');
      expect(via.restoresOf(vmId)).toHaveLength(1);
    } finally {
      vi.useRealTimers();
      await server.clearFault();
    }
  });

  it('a restore whose POST OnApp acted on but whose answer was cut: the next restore is never told its outcome, and is told its own once both agree', async () => {
    const { via, simulator, server } = context();
    const { vmId, first, second } = await via.vmWithTwoBackups();
    simulator.holdRestoreListing = true;
    try {
      await server.setFault({ mode: 'truncated', onlyLabel: 'POST /backups/:id/restore.json', times: 1 });
      const cut = await via.restore(first);
      await server.clearFault();
      expect(errorCodes(cut)).not.toEqual([]);
      expect(via.restoresOf(vmId)).toHaveLength(1);
      const later = await via.restore(second);
      expect(errorCodes(later)).toEqual([]);
      const id = later.data!.restoreBackup.operation.id;
      expect(decodeOperationId(id).token[1]).toBe('2');
      const [cutTransaction, laterTransaction] = via.restoresOf(vmId);
      cutTransaction!.doneAt = 0;
      laterTransaction!.doneAt = 0;
      laterTransaction!.fails = true;
      simulator.listHeldTransactions();
      expect(await via.statusOf(id)).toEqual({ status: 'PENDING', error: expect.stringContaining('may have reached OnApp') });
      expect(await via.statusOf(startedEarlier(id, UNSEEN_RESTORE_GIVES_UP_MS + 60_000))).toEqual({ status: 'FAILED', error: expect.stringContaining('could not be told') });
      // Both transactions failed: whichever is the later restore's, it failed.
      cutTransaction!.fails = true;
      expect(await via.statusOf(id)).toEqual({ status: 'FAILED', error: 'transaction failed' });
    } finally {
      await server.clearFault();
      simulator.holdRestoreListing = false;
    }
  });

  it('a restore whose POST was cut before OnApp acted: the next restore waits for the position the cut one may hold, then is told its own outcome', async () => {
    const { via, simulator, server } = context();
    const { vmId, first, second, firstNativeId } = await via.vmWithTwoBackups();
    simulator.holdRestoreListing = true;
    try {
      await server.setFault({ mode: 'truncated', onlyRequest: `POST /backups/${firstNativeId}/restore.json`, times: 1 });
      const cut = await via.restore(first);
      await server.clearFault();
      expect(errorCodes(cut)).not.toEqual([]);
      expect(via.restoresOf(vmId)).toHaveLength(0);
      const later = await via.restore(second);
      expect(errorCodes(later)).toEqual([]);
      const id = later.data!.restoreBackup.operation.id;
      expect(decodeOperationId(id).token[1]).toBe('2');
      const [laterTransaction] = via.restoresOf(vmId);
      laterTransaction!.doneAt = 0;
      laterTransaction!.fails = true;
      simulator.listHeldTransactions();
      // Listed alone, the transaction may be the cut restore's, this one's not listed yet.
      expect(await via.statusOf(id)).toEqual({ status: 'PENDING', error: expect.stringContaining('cannot be told until OnApp lists them all') });
      // Past the time any restore of theirs is listed in, the only one listed is this one's.
      expect(await via.statusOf(startedEarlier(id, UNSEEN_RESTORE_GIVES_UP_MS + 60_000))).toEqual({ status: 'FAILED', error: 'transaction failed' });
    } finally {
      await server.clearFault();
      simulator.holdRestoreListing = false;
    }
  });
}

describe('onapp: overlapping restores of one VM', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  let via: ReturnType<typeof restoresVia>;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
    playRestoresNamingTheVm(simulator);
    via = restoresVia(harness, simulator);
  });
  afterAll(() => harness.close());

  cutRestoreCases(() => ({ via, simulator, server: harness.simulator('onapp').server }));

  const vmWithTwoBackups = () => via.vmWithTwoBackups();
  const restore = (backupId: string) => via.restore(backupId);
  const statusOf = (id: string) => via.statusOf(id);
  const restoresOf = (vmId: number) => via.restoresOf(vmId);

  it('two restores that read one watermark each get their own transaction, in request order: the second, failed, is not told the first one\'s SUCCEEDED', async () => {
    const { vmId, first, second } = await vmWithTwoBackups();
    simulator.holdRestoreListing = true;
    try {
      const earlier = await restore(first);
      const later = await restore(second);
      expect(errorCodes(earlier)).toEqual([]);
      expect(errorCodes(later)).toEqual([]);
      const [earlierTransaction, laterTransaction] = restoresOf(vmId);
      expect(laterTransaction).toBeDefined();
      earlierTransaction!.doneAt = 0;
      laterTransaction!.doneAt = 0;
      laterTransaction!.fails = true;
      simulator.listHeldTransactions();
      expect(await statusOf(earlier.data!.restoreBackup.operation.id)).toEqual({ status: 'SUCCEEDED', error: null });
      expect(await statusOf(later.data!.restoreBackup.operation.id)).toEqual({ status: 'FAILED', error: 'transaction failed' });
    } finally {
      simulator.holdRestoreListing = false;
    }
  });

  it('two restores of one backup asked at once, the transactions naming the backup: the second, failed, is not told the first one\'s SUCCEEDED', async () => {
    const { vmId, first } = await vmWithTwoBackups();
    simulator.holdRestoreListing = true;
    simulator.restoreAssociates = 'backup';
    try {
      const earlier = await restore(first);
      const later = await restore(first);
      expect(errorCodes(earlier)).toEqual([]);
      expect(errorCodes(later)).toEqual([]);
      const [earlierTransaction, laterTransaction] = restoresOf(vmId);
      expect(laterTransaction).toBeDefined();
      earlierTransaction!.doneAt = 0;
      laterTransaction!.doneAt = 0;
      laterTransaction!.fails = true;
      simulator.listHeldTransactions();
      expect(await statusOf(earlier.data!.restoreBackup.operation.id)).toEqual({ status: 'SUCCEEDED', error: null });
      expect(await statusOf(later.data!.restoreBackup.operation.id)).toEqual({ status: 'FAILED', error: 'transaction failed' });
    } finally {
      simulator.holdRestoreListing = false;
      simulator.restoreAssociates = 'vm';
    }
  });

  it('where OnApp refuses a restore while one runs (the VM busy, 422), the refused one takes no transaction, and the next restore of the same watermark gets its own', async () => {
    const { vmId, first, second } = await vmWithTwoBackups();
    simulator.holdRestoreListing = true;
    simulator.restoreLocksVm = true;
    try {
      const running = await restore(first);
      expect(errorCodes(running)).toEqual([]);
      const refused = await restore(second);
      expect(errorCodes(refused)).not.toEqual([]);
      expect(refused.data?.restoreBackup ?? null).toBeNull();
      expect(restoresOf(vmId)).toHaveLength(1);
      // The first restore ends (still unlisted, so the watermark stays), and another is asked.
      restoresOf(vmId)[0]!.doneAt = 0;
      const next = await restore(second);
      expect(errorCodes(next)).toEqual([]);
      const nextTransaction = restoresOf(vmId)[1]!;
      nextTransaction.doneAt = 0;
      nextTransaction.fails = true;
      simulator.listHeldTransactions();
      expect(await statusOf(running.data!.restoreBackup.operation.id)).toEqual({ status: 'SUCCEEDED', error: null });
      expect(await statusOf(next.data!.restoreBackup.operation.id)).toEqual({ status: 'FAILED', error: 'transaction failed' });
    } finally {
      simulator.holdRestoreListing = false;
      simulator.restoreLocksVm = false;
    }
  });
});

/** The gateway's store, with the restores' places in `places` (to silence). */
class StoreWithRestorePlaces extends MemoryStore {
  constructor(private readonly places: KeyValueStore) {
    super();
  }

  override namespace(name: string, options: { maxEntries: number }): KeyValueStore {
    return name === RESTORE_ORDER_NAMESPACE ? this.places : super.namespace(name, options);
  }
}

describe('onapp: restores when the store of places does not answer', () => {
  it('refuses a restore before its POST (STORE_UNAVAILABLE, nothing sent): gone ahead placeless it read as the first, and told of the first restore\'s outcome', async () => {
    const never = () => new Promise<never>(() => {});
    const silent = Object.assign(new MemoryStore(), { get: never, getMany: never, set: never, setIfAbsent: never, delete: never });
    await withHarness({ kinds: ['onapp'], store: new StoreWithRestorePlaces(silent), configure: withProviderSettings({ cacheTtlMs: 0 }) }, async (harness) => {
      const simulator = harness.simulator('onapp').simulator as OnappSimulator;
      playRestoresNamingTheVm(simulator);
      const via = restoresVia(harness, simulator);
      const { vmId, first } = await via.vmWithTwoBackups();
      const refused = await via.restore(first);
      expect(errorCodes(refused)).toEqual(['STORE_UNAVAILABLE']);
      expect(via.restoresOf(vmId)).toHaveLength(0);
    });
  });

  it('refuses a later place before its POST (STORE_UNAVAILABLE, nothing sent) when where its polls look cannot be written: sent, it might never be found', async () => {
    const places = new MemoryStore();
    const never = () => new Promise<never>(() => {});
    const notesSilent = new Proxy(places, {
      get: (target, name, receiver) => (name === 'set' ? (key: string, value: unknown, ttlMs: number) => (key.endsWith(':note') ? never() : target.set(key, value, ttlMs)) : Reflect.get(target, name, receiver)),
    });
    await withHarness({ kinds: ['onapp'], store: new StoreWithRestorePlaces(notesSilent), configure: withProviderSettings({ cacheTtlMs: 0 }) }, async (harness) => {
      const simulator = harness.simulator('onapp').simulator as OnappSimulator;
      playRestoresNamingTheVm(simulator);
      const via = restoresVia(harness, simulator);
      const { vmId, first, second } = await via.vmWithTwoBackups();
      simulator.holdRestoreListing = true;
      expect(errorCodes(await via.restore(first))).toEqual([]);
      const refused = await via.restore(second);
      expect(errorCodes(refused)).toEqual(['STORE_UNAVAILABLE']);
      expect(via.restoresOf(vmId)).toHaveLength(1);
    });
  });

  it('answers PENDING, saying why, for a later place whose earlier places cannot be read: never another restore\'s outcome', async () => {
    const places = new MemoryStore();
    let silenced = false;
    const never = () => new Promise<never>(() => {});
    const flaky = new Proxy(places, {
      get: (target, name, receiver) => (silenced && (name === 'getMany' || name === 'get') ? never : Reflect.get(target, name, receiver)),
    });
    await withHarness({ kinds: ['onapp'], store: new StoreWithRestorePlaces(flaky), configure: withProviderSettings({ cacheTtlMs: 0 }) }, async (harness) => {
      const simulator = harness.simulator('onapp').simulator as OnappSimulator;
      playRestoresNamingTheVm(simulator);
      const via = restoresVia(harness, simulator);
      const { vmId, first, second } = await via.vmWithTwoBackups();
      simulator.holdRestoreListing = true;
      await via.restore(first);
      const later = await via.restore(second);
      expect(errorCodes(later)).toEqual([]);
      for (const transaction of via.restoresOf(vmId)) transaction.doneAt = 0;
      simulator.listHeldTransactions();
      silenced = true;
      expect(await via.statusOf(later.data!.restoreBackup.operation.id)).toEqual({ status: 'PENDING', error: expect.stringContaining('cannot be told') });
      silenced = false;
      expect(await via.statusOf(later.data!.restoreBackup.operation.id)).toEqual({ status: 'SUCCEEDED', error: null });
    });
  });
});

describe.skipIf(!redis.url)(redisSuite('onapp: restores of one VM on two gateway processes sharing Redis', redis), () => {
  let harness: Harness;
  let second: RunningGateway;
  let simulator: OnappSimulator;
  const prefix = `bg-test-${randomUUID()}:`;
  beforeAll(async () => {
    const stores = [new RedisStore(redis.url as string, prefix), new RedisStore(redis.url as string, prefix)] as const;
    await Promise.all(stores.map((store) => store.ready()));
    harness = await startHarness({ kinds: ['onapp'], store: stores[0], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    second = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: stores[1] });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
    playRestoresNamingTheVm(simulator);
  });
  afterAll(async () => {
    await second.close();
    await harness.close();
    const client = new Redis(redis.url as string);
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
  });

  let sharedVia: ReturnType<typeof restoresVia>;
  beforeAll(() => {
    sharedVia = restoresVia(harness, simulator);
  });
  cutRestoreCases(() => ({ via: sharedVia, simulator, server: harness.simulator('onapp').server }));

  it('a restore asked of each, reading one watermark, gets a place each (1 and 2), and each is told of its own transaction', async () => {
    const via = sharedVia;
    const askSecond: Ask = async <T>(query: string, variables: Record<string, unknown>) => {
      const response = await fetch(second.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      return (await response.json()) as GraphQLAnswer<T>;
    };
    const { vmId, first, second: other } = await via.vmWithTwoBackups();
    simulator.holdRestoreListing = true;
    try {
      const here = await via.restore(first);
      const there = await via.restore(other, askSecond);
      expect(errorCodes(here)).toEqual([]);
      expect(errorCodes(there)).toEqual([]);
      expect(decodeOperationId(here.data!.restoreBackup.operation.id).token[1]).toBe('1');
      expect(decodeOperationId(there.data!.restoreBackup.operation.id).token[1]).toBe('2');
      const [hereTransaction, thereTransaction] = via.restoresOf(vmId);
      hereTransaction!.doneAt = 0;
      thereTransaction!.doneAt = 0;
      thereTransaction!.fails = true;
      simulator.listHeldTransactions();
      // Each gateway polls the other's operation too: the places are shared.
      expect(await via.statusOf(there.data!.restoreBackup.operation.id)).toEqual({ status: 'FAILED', error: 'transaction failed' });
      expect(await via.statusOf(here.data!.restoreBackup.operation.id, askSecond)).toEqual({ status: 'SUCCEEDED', error: null });
    } finally {
      simulator.holdRestoreListing = false;
    }
  });
});
