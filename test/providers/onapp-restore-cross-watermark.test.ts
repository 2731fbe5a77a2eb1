import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { decodeOperationId } from '../../src/gateway/ids.js';
import { createLogger } from '../../src/observability/logger.js';
import { RESTORE_TURN_WAIT_MS } from '../../src/providers/onapp/restore-place.js';
import type { OnappSimulator, SimTransaction } from '../../src/providers/onapp/simulator.js';
import { startGatewayServer } from '../../src/server/app.js';
import { errorCodes, gqlAt, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { RestorePlaceWatch, WatchedMemoryStore, WatchedRedisStore } from '../helpers/restore-turns.js';

const redis = await testRedis();
afterAll(() => redis.stop());

/**
 * Two restores of one VM whose watermarks differ: a transaction of another kind (a reboot) is listed
 * while the first one's POST is on its way to OnApp. Each took place 1 of a series of its own
 * watermark, the second POSTed at once and reached OnApp first, and each took the first restore
 * transaction above its own watermark: the first was told the second's SUCCEEDED. (Found in review;
 * the reviewer's reproduction answered the second while the first POST was still held, which no
 * gateway can order: see the last test.)
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

/** A VM with two built backups, and each restore's transaction by backup as OnApp makes them. */
async function restoresOfOneVm(ask: Ask, simulator: OnappSimulator) {
  const listed = await ask<Listed>(INSTANCES);
  const built = (vm: { backups: Array<{ id: string; nativeId: string }> }) => vm.backups.filter((backup) => Date.now() >= (simulator.backups.get(Number(backup.nativeId))?.builtAt ?? Infinity));
  const node = listed.data!.instances.edges.map((edge) => edge.node).find((vm) => built(vm).length >= 2)!;
  const [first, second] = built(node);
  const made = new Map<number, SimTransaction>();
  const waiters = new Map<number, () => void>();
  const listener = (backupId: number, transaction: SimTransaction): void => {
    made.set(backupId, transaction);
    waiters.get(backupId)?.();
  };
  simulator.restoreEvents.on('restore', listener);
  return {
    vmId: Number(node.nativeId),
    first: first!,
    second: second!,
    made,
    madeFor: (backupId: string) => new Promise<void>((resolve) => waiters.set(Number(backupId), resolve)),
    stop: () => simulator.restoreEvents.off('restore', listener),
  };
}

/** Restores whose transactions name the VM, running until the test ends them, kept unlisted until it lists them. */
function playUnlistedRestoresNamingTheVm(simulator: OnappSimulator): void {
  simulator.asyncDelayMs = 10 * 60_000;
  simulator.restoreAssociates = 'vm';
  simulator.holdRestoreListing = true;
}

/**
 * The earlier restore asked on `askEarlier`, its POST held at OnApp; a reboot listed; the later one
 * asked on `askLater`. The earlier POST is released once the later restore has reached OnApp (it
 * POSTed at once), or is waiting for its turn; each is polled on the other one.
 */
async function restoresAcrossAReboot(simulator: OnappSimulator, watch: RestorePlaceWatch, askEarlier: Ask, askLater: Ask): Promise<void> {
  playUnlistedRestoresNamingTheVm(simulator);
  const vm = await restoresOfOneVm(askEarlier, simulator);
  const hold = simulator.holdRestoresOf(Number(vm.first.nativeId));
  const earlier = askEarlier<Restored>(RESTORE, { input: { backupId: vm.first.id, confirm: true } });
  try {
    await hold.arrived;
    simulator.addTransactions(vm.vmId, 'reboot_virtual_server', 1);
    const reboot = simulator.transactions.at(-1)!.id;
    const later = askLater<Restored>(RESTORE, { input: { backupId: vm.second.id, confirm: true } });
    await Promise.race([vm.madeFor(vm.second.nativeId), watch.readAfterSecondPlace]);
    hold.release();
    const [earlierAnswer, laterAnswer] = await Promise.all([earlier, later]);
    expect(errorCodes(earlierAnswer)).toEqual([]);
    expect(errorCodes(laterAnswer)).toEqual([]);
    const earlierId = earlierAnswer.data!.restoreBackup.operation.id;
    const laterId = laterAnswer.data!.restoreBackup.operation.id;
    const earlierTransaction = vm.made.get(Number(vm.first.nativeId))!;
    const laterTransaction = vm.made.get(Number(vm.second.nativeId))!;
    earlierTransaction.doneAt = 0;
    earlierTransaction.fails = true;
    laterTransaction.doneAt = 0;
    simulator.listHeldTransactions();
    expect((await askLater(OPERATION, { id: earlierId })).data).toEqual({ operation: { status: 'FAILED', error: 'transaction failed' } });
    expect((await askEarlier(OPERATION, { id: laterId })).data).toEqual({ operation: { status: 'SUCCEEDED', error: null } });
    // OnApp got the POSTs in the order the restores were asked: the later one joined the earlier one's
    // series, as place 2, and names the transaction it read itself (the reboot: its own is above it).
    expect(earlierTransaction.id).toBeLessThan(laterTransaction.id);
    const [earlierToken, laterToken] = [decodeOperationId(earlierId).token, decodeOperationId(laterId).token];
    expect(laterToken).toEqual([earlierToken[0], '2', String(reboot)]);
  } finally {
    hold.release();
    await earlier;
    vm.stop();
  }
}

describe('onapp: restores of one VM reading two watermarks (a reboot listed between; one gateway, memory store)', () => {
  it('the later one waits for the earlier one\'s POST, and each is told its own outcome', async () => {
    const watch = new RestorePlaceWatch();
    const harness = await startHarness({ kinds: ['onapp'], store: new WatchedMemoryStore(watch), configure: withProviderSettings({ cacheTtlMs: 0 }) });
    try {
      await restoresAcrossAReboot(harness.simulator('onapp').simulator as OnappSimulator, watch, harness.gql, harness.gql);
    } finally {
      await harness.close();
    }
  });

  it('a restore after a series whose places were all given up starts a series of its own watermark: a restore listed since (OnApp\'s panel\'s) is not counted as its own', async () => {
    const harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    const simulator = harness.simulator('onapp').simulator as OnappSimulator;
    playUnlistedRestoresNamingTheVm(simulator);
    const vm = await restoresOfOneVm(harness.gql, simulator);
    try {
      // A restore OnApp refuses (the VM locked) gives its place up: its series holds none.
      simulator.vms.get(vm.vmId)!.locked = true;
      const refused = await harness.gql<Restored>(RESTORE, { input: { backupId: vm.first.id, confirm: true } });
      expect(errorCodes(refused)).not.toEqual([]);
      expect(vm.made.size).toBe(0);
      simulator.vms.get(vm.vmId)!.locked = false;
      // A restore asked in OnApp's panel, listed and done: above that series' watermark, nobody's here.
      simulator.addTransactions(vm.vmId, 'restore_backup', 1);
      simulator.transactions.at(-1)!.associated_object_type = 'VirtualMachine';
      const next = await harness.gql<Restored>(RESTORE, { input: { backupId: vm.second.id, confirm: true } });
      expect(errorCodes(next)).toEqual([]);
      expect(decodeOperationId(next.data!.restoreBackup.operation.id).token).toEqual([String(simulator.transactions.at(-2)!.id), '1']);
      const nextTransaction = vm.made.get(Number(vm.second.nativeId))!;
      nextTransaction.doneAt = 0;
      nextTransaction.fails = true;
      simulator.listHeldTransactions();
      expect((await harness.gql(OPERATION, { id: next.data!.restoreBackup.operation.id })).data).toEqual({ operation: { status: 'FAILED', error: 'transaction failed' } });
    } finally {
      vm.stop();
      await harness.close();
    }
  });
});

describe.skipIf(!redis.url)(redisSuite('onapp: restores of one VM reading two watermarks, asked on two gateways sharing Redis', redis), () => {
  it('the later one waits for the earlier one\'s POST, and each is told its own outcome', async () => {
    const url = redis.url as string;
    const prefix = `bg-test-${randomUUID()}:`;
    const watch = new RestorePlaceWatch();
    const stores = [new WatchedRedisStore(url, prefix, new RestorePlaceWatch()), new WatchedRedisStore(url, prefix, watch)] as const;
    await Promise.all(stores.map((store) => store.ready()));
    const harness = await startHarness({ kinds: ['onapp'], store: stores[0], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    const other = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: stores[1] });
    try {
      await restoresAcrossAReboot(harness.simulator('onapp').simulator as OnappSimulator, watch, harness.gql, gqlAt(other.graphqlUrl));
    } finally {
      await other.close();
      await harness.close();
      const client = new Redis(url);
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(...keys);
      await client.quit();
    }
  });
});

describe('onapp: a restore reading a newer watermark while an earlier restore\'s POST is still held at OnApp past its wait', () => {
  it('is refused CONFLICT with nothing sent: answered while the earlier POST was out (the reviewer\'s reproduction), the order of the two at OnApp could not be known', async () => {
    const watch = new RestorePlaceWatch();
    const harness = await startHarness({ kinds: ['onapp'], store: new WatchedMemoryStore(watch), configure: withProviderSettings({ cacheTtlMs: 0 }) });
    const simulator = harness.simulator('onapp').simulator as OnappSimulator;
    playUnlistedRestoresNamingTheVm(simulator);
    const vm = await restoresOfOneVm(harness.gql, simulator);
    const hold = simulator.holdRestoresOf(Number(vm.first.nativeId));
    const earlier = harness.gql<Restored>(RESTORE, { input: { backupId: vm.first.id, confirm: true } });
    try {
      await hold.arrived;
      simulator.addTransactions(vm.vmId, 'reboot_virtual_server', 1);
      const later = harness.gql<Restored>(RESTORE, { input: { backupId: vm.second.id, confirm: true } });
      await Promise.race([vm.madeFor(vm.second.nativeId), watch.readAfterSecondPlace]);
      // Moved past the wait on the monotonic clock (a faked clock starts at 0: past the real reading first).
      const monotonicNow = performance.now();
      vi.useFakeTimers({ toFake: ['performance'] });
      vi.advanceTimersByTime(monotonicNow + RESTORE_TURN_WAIT_MS + 60_000);
      const refused = await later;
      vi.useRealTimers();
      expect(errorCodes(refused)).toEqual(['CONFLICT']);
      expect(refused.errors?.[0]?.message).toContain('was still being sent to OnApp');
      expect(vm.made.has(Number(vm.second.nativeId))).toBe(false);
      hold.release();
      expect(errorCodes(await earlier)).toEqual([]);
    } finally {
      vi.useRealTimers();
      hold.release();
      await earlier;
      vm.stop();
      await harness.close();
    }
  });
});
