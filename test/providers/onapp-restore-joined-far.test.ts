import { describe, expect, it, vi } from 'vitest';
import { decodeOperationId } from '../../src/gateway/ids.js';
import { UNSEEN_RESTORE_GIVES_UP_MS } from '../../src/providers/onapp/adapter.js';
import type { OnappSimulator, SimTransaction } from '../../src/providers/onapp/simulator.js';
import { MOST_TRANSACTION_READS } from '../../src/providers/onapp/restore-transaction.js';
import { errorCodes, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * A restore that joined an older series of its VM's restores: the first restore's transaction was
 * made but not listed yet when 65 other transactions (reboots) were listed, then the second restore
 * was asked. It read the newest reboot as its own watermark, joined the first one's series (counted
 * above that older watermark) and was looked for on the page reaching it and the two above: seven
 * pages of ten down from its own transaction, it was never seen (PENDING, FAILED after 30 minutes).
 */
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';
const INSTANCES = '{ instances { edges { node { nativeId backups { id nativeId } } } } }';
const TRANSACTIONS = 'GET /virtual_machines/:id/transactions.json';
/** More than the old search's reach (the watermark's page and two above, ten a page). */
const REBOOTS_BETWEEN = 65;

interface Listed {
  instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ id: string; nativeId: string }> } }> };
}
interface Restored {
  restoreBackup: { operation: { id: string } };
}

/** A VM with two built backups; each restore's transaction by backup, as the simulator makes it. */
async function vmWithTwoBackups(harness: Harness, simulator: OnappSimulator) {
  const listed = await harness.gql<Listed>(INSTANCES);
  const built = (backups: Array<{ id: string; nativeId: string }>) => backups.filter((backup) => Date.now() >= (simulator.backups.get(Number(backup.nativeId))?.builtAt ?? Infinity));
  const node = listed.data!.instances.edges.map((edge) => edge.node).find((vm) => built(vm.backups).length >= 2)!;
  const [first, second] = built(node.backups);
  const made = new Map<string, SimTransaction>();
  simulator.restoreEvents.on('restore', (backupId: number, transaction: SimTransaction) => made.set(String(backupId), transaction));
  return { vmId: Number(node.nativeId), first: first!, second: second!, made };
}

async function restore(harness: Harness, backupId: string): Promise<string> {
  const answer = await harness.gql<Restored>(RESTORE, { input: { backupId, confirm: true } });
  expect(errorCodes(answer)).toEqual([]);
  return answer.data!.restoreBackup.operation.id;
}

/**
 * The first restore asked, its transaction made and not listed yet; then 65 reboots listed; then
 * the second restore asked. Transactions name only the VM, at work until the test ends them,
 * listed only when it lists them.
 */
async function restoresAcrossReboots(harness: Harness, simulator: OnappSimulator) {
  simulator.asyncDelayMs = 10 * 60_000;
  simulator.restoreAssociates = 'vm';
  simulator.holdRestoreListing = true;
  const vm = await vmWithTwoBackups(harness, simulator);
  simulator.addTransactions(vm.vmId, 'reboot_virtual_server', 15);
  const watermark = simulator.transactions.at(-1)!.id;
  const firstId = await restore(harness, vm.first.id);
  simulator.addTransactions(vm.vmId, 'reboot_virtual_server', REBOOTS_BETWEEN);
  const newestReboot = simulator.transactions.at(-1)!.id;
  const secondId = await restore(harness, vm.second.id);
  /** Both listed and ended: the first succeeded, the second failed. */
  const end = () => {
    const [firstTransaction, secondTransaction] = [vm.made.get(vm.first.nativeId)!, vm.made.get(vm.second.nativeId)!];
    firstTransaction.doneAt = 0;
    secondTransaction.doneAt = 0;
    secondTransaction.fails = true;
    simulator.listHeldTransactions();
  };
  return { watermark, newestReboot, firstId, secondId, end };
}

/** The pages of the VM's transactions read since `from` in the simulator's log (1: asked without `page`). */
const pagesRead = (simulator: OnappSimulator, from: number): number[] =>
  simulator.server.log.slice(from).filter((request) => request.label === TRANSACTIONS).map((request) => Number(new URLSearchParams(request.query).get('page') ?? 1));

describe('onapp: a restore that joined an older series, 65 other transactions of its VM listed between', () => {
  it('is found however many pages lie between, and a restore that needs no more pages reads none', async () => {
    const harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    const simulator = harness.simulator('onapp').simulator as OnappSimulator;
    try {
      const { watermark, newestReboot, firstId, secondId, end } = await restoresAcrossReboots(harness, simulator);
      // The second joined the first one's series as place 2, and says which transaction it read itself.
      expect(decodeOperationId(firstId).token).toEqual([String(watermark), '1']);
      expect(decodeOperationId(secondId).token).toEqual([String(watermark), '2', String(newestReboot)]);

      // A restore that read its series' watermark reads that page and the two above, as before: 1, 2,
      // 4, 8 (the watermark's), 6, 7 (the watermark's page, 5 more reboots on it), then 5. Not 3.
      const before = simulator.server.log.length;
      expect((await harness.gql(OPERATION, { id: firstId })).data).toEqual({ operation: { status: 'PENDING', error: null } });
      expect(pagesRead(simulator, before)).toEqual([1, 2, 4, 8, 6, 7, 5]);

      end();
      expect((await harness.gql(OPERATION, { id: firstId })).data).toEqual({ operation: { status: 'SUCCEEDED', error: null } });
      expect((await harness.gql(OPERATION, { id: secondId })).data).toEqual({ operation: { status: 'FAILED', error: 'transaction failed' } });
    } finally {
      simulator.restoreEvents.removeAllListeners('restore');
      await harness.close();
    }
  });
});

describe(`onapp: a restore whose transaction lies past the ${MOST_TRANSACTION_READS} pages one look reads`, () => {
  it('reads RUNNING, saying so, also past 30 minutes: not FAILED as never listed', async () => {
    const harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    const simulator = harness.simulator('onapp').simulator as OnappSimulator;
    try {
      const { secondId, end } = await restoresAcrossReboots(harness, simulator);
      end();
      // One transaction a page: the 65 reboots between the watermark and the restore are 65 pages.
      simulator.transactionPageSize = 1;
      const running = { status: 'RUNNING', error: expect.stringContaining(`than the ${MOST_TRANSACTION_READS} pages one look reads`) };
      expect((await harness.gql(OPERATION, { id: secondId })).data).toEqual({ operation: running });
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + UNSEEN_RESTORE_GIVES_UP_MS + 60_000);
      expect((await harness.gql(OPERATION, { id: secondId })).data).toEqual({ operation: running });
      // Its transaction was there all along: read in pages of ten, it is told.
      simulator.transactionPageSize = 10;
      expect((await harness.gql(OPERATION, { id: secondId })).data).toEqual({ operation: { status: 'FAILED', error: 'transaction failed' } });
    } finally {
      vi.useRealTimers();
      simulator.restoreEvents.removeAllListeners('restore');
      await harness.close();
    }
  });
});
