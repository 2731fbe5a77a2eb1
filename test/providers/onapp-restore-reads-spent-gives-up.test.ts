import { describe, expect, it } from 'vitest';
import { decodeOperationId, operationId } from '../../src/gateway/ids.js';
import { UNSEEN_RESTORE_GIVES_UP_MS } from '../../src/providers/onapp/adapter.js';
import { DEFAULT_RESTORE_GIVE_UP_MS } from '../../src/providers/onapp/config.js';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { MOST_TRANSACTION_READS } from '../../src/providers/onapp/restore-transaction.js';
import { errorCodes, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * Two restores of one VM asked together (places 1 and 2 of one series), neither of whose
 * transactions OnApp ever lists, then 60 other transactions listed one a page. The second's look
 * goes on up while the first's transaction is not found, past the 48 pages a look reads: it read
 * RUNNING "cannot be told here" for ever. It now reads so until the account's restoreGiveUpMs,
 * then FAILED saying the transaction was not found within the reads, and where to look.
 */
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';
const INSTANCES = '{ instances { edges { node { nativeId backups { id nativeId } } } } }';
const OTHER_TRANSACTIONS = 60;

interface Listed {
  instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ id: string; nativeId: string }> } }> };
}

/** The same operation, asked `ms` after it began (its id's start moved back, as a poll later on would read it). */
const startedEarlier = (id: string, ms: number): string => {
  const ref = decodeOperationId(id);
  return operationId({ ...ref, startedAt: new Date(ref.startedAt.getTime() - ms) });
};

/**
 * The scenario above under `restoreGiveUpMs` (undefined: the default); the second restore's status
 * asked as a poll `ms` after its request would read it.
 */
async function secondOfTwoNeverListed(restoreGiveUpMs: number | undefined, check: (statusAt: (ms: number) => Promise<{ status: string; error: string | null }>) => Promise<void>): Promise<void> {
  const settings = restoreGiveUpMs === undefined ? { cacheTtlMs: 0 } : { cacheTtlMs: 0, restoreGiveUpMs };
  const harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings(settings, 'onapp') });
  const simulator = harness.simulator('onapp').simulator as OnappSimulator;
  try {
    simulator.asyncDelayMs = 10 * 60_000;
    simulator.restoreAssociates = 'vm';
    simulator.holdRestoreListing = true;
    const listed = await harness.gql<Listed>(INSTANCES);
    const built = (backups: Array<{ id: string; nativeId: string }>) => backups.filter((backup) => Date.now() >= (simulator.backups.get(Number(backup.nativeId))?.builtAt ?? Infinity));
    const vm = listed.data!.instances.edges.map((edge) => edge.node).find((node) => built(node.backups).length >= 2)!;
    const ids: string[] = [];
    for (const backup of built(vm.backups).slice(0, 2)) {
      const answer = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: backup.id, confirm: true } });
      expect(errorCodes(answer)).toEqual([]);
      ids.push(answer.data!.restoreBackup.operation.id);
    }
    const secondId = ids[1]!;
    expect(decodeOperationId(secondId).token[1]).toBe('2');
    simulator.addTransactions(Number(vm.nativeId), 'reboot_virtual_server', OTHER_TRANSACTIONS);
    simulator.transactionPageSize = 1;
    await check(async (ms) => (await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id: startedEarlier(secondId, ms) })).data!.operation);
  } finally {
    await harness.close();
  }
}

const running = { status: 'RUNNING', error: expect.stringContaining(`than the ${MOST_TRANSACTION_READS} pages one look reads`) };
const gaveUp = (minutes: number) => ({
  status: 'FAILED',
  error: `the gateway could not find this restore's transaction in OnApp's transaction list within the ${MOST_TRANSACTION_READS} pages one look reads, ${minutes} minutes after the request (restoreGiveUpMs): it may be on a page not read, at work or done, so look at the virtual server in OnApp`,
});

describe('onapp: a restore whose look spends its page reads, the restores before it never listed', () => {
  it(`reads RUNNING until restoreGiveUpMs (${DEFAULT_RESTORE_GIVE_UP_MS / 60_000} minutes by default), never earlier, then FAILED saying where to look`, async () => {
    await secondOfTwoNeverListed(undefined, async (statusAt) => {
      expect(await statusAt(0)).toEqual(running);
      expect(await statusAt(UNSEEN_RESTORE_GIVES_UP_MS + 60_000)).toEqual(running);
      expect(await statusAt(DEFAULT_RESTORE_GIVE_UP_MS - 60_000)).toEqual(running);
      expect(await statusAt(DEFAULT_RESTORE_GIVE_UP_MS + 60_000)).toEqual(gaveUp(DEFAULT_RESTORE_GIVE_UP_MS / 60_000));
    });
  });

  it('gives up after the restoreGiveUpMs the account configures (5 h)', async () => {
    await secondOfTwoNeverListed(5 * 3_600_000, async (statusAt) => {
      expect(await statusAt(DEFAULT_RESTORE_GIVE_UP_MS + 60_000)).toEqual(running);
      expect(await statusAt(5 * 3_600_000 + 60_000)).toEqual(gaveUp(300));
    });
  });
});
