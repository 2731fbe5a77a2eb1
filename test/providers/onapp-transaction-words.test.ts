import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOperationId, operationId } from '../../src/gateway/ids.js';
import { UNSEEN_RESTORE_GIVES_UP_MS } from '../../src/providers/onapp/adapter.js';
import { DEFAULT_RESTORE_GIVE_UP_MS } from '../../src/providers/onapp/config.js';
import type { OnappSimulator, SimTransaction } from '../../src/providers/onapp/simulator.js';
import { type Harness, startHarness, withHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * OnApp's transaction status words are not documented. Compared exactly ('complete', 'failed',
 * 'cancelled'), a panel's `Complete` or American `canceled` read as running, and the restore
 * stayed RUNNING for ever. The words are read lower-cased, `cancelled` in both spellings, and a
 * word never seen is waited on as running for the account's `restoreGiveUpMs` (two hours by
 * default), then FAILED. It was the 30 minutes given to an unlisted transaction: a listed one is
 * OnApp's record of a restore that may still be writing a large disk back.
 */

const LIST = '{ instances(first: 1000) { edges { node { nativeId backups { id nativeId } } } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';
const DEFAULT_WORDS = { running: 'running', complete: 'complete', failed: 'failed' };

interface Listed {
  instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ id: string; nativeId: string }> } }> };
}

const startedEarlier = (id: string, ms: number): string => {
  const ref = decodeOperationId(id);
  return operationId({ ...ref, startedAt: new Date(ref.startedAt.getTime() - ms) });
};

describe('onapp: restore transaction status words', () => {
  let harness: Harness;
  let simulator: OnappSimulator;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
    simulator.asyncDelayMs = 0;
  });
  afterAll(() => harness.close());

  /**
   * Restores a built backup, its transaction failing when `fails`; the operation's id. Restores
   * one after another of one VM are told apart by the VM's newest transaction before each.
   */
  async function restore(fails: boolean): Promise<string> {
    const answer = await harness.gql<Listed>(LIST);
    const backup = answer.data!.instances.edges
      .flatMap((edge) => edge.node.backups)
      .find((candidate) => {
        const record = simulator.backups.get(Number(candidate.nativeId));
        return record !== undefined && Date.now() >= record.builtAt;
      })!;
    const failing = (_backupId: number, transaction: SimTransaction): void => {
      transaction.fails = fails;
    };
    simulator.restoreEvents.on('restore', failing);
    try {
      const restored = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: backup.id, confirm: true } });
      expect(restored.errors).toBeUndefined();
      return restored.data!.restoreBackup.operation.id;
    } finally {
      simulator.restoreEvents.off('restore', failing);
    }
  }

  const statusOf = async (id: string) => (await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id })).data?.operation;

  it.each([
    { words: { complete: 'Complete' }, fails: false, expected: { status: 'SUCCEEDED', error: null } },
    { words: { complete: 'COMPLETE' }, fails: false, expected: { status: 'SUCCEEDED', error: null } },
    { words: { failed: 'canceled' }, fails: true, expected: { status: 'FAILED', error: 'transaction canceled' } },
    { words: { failed: 'Cancelled' }, fails: true, expected: { status: 'FAILED', error: 'transaction Cancelled' } },
    { words: { failed: 'FAILED' }, fails: true, expected: { status: 'FAILED', error: 'transaction FAILED' } },
  ])('reads $words as its outcome, not RUNNING for ever', async ({ words, fails, expected }) => {
    simulator.transactionWords = { ...DEFAULT_WORDS, ...words };
    try {
      const id = await restore(fails);
      expect(await statusOf(id)).toEqual(expected);
      expect(await statusOf(startedEarlier(id, UNSEEN_RESTORE_GIVES_UP_MS + 60_000))).toEqual(expected);
    } finally {
      simulator.transactionWords = DEFAULT_WORDS;
    }
  });

  it("waits on a word it does not know as running for the account's restoreGiveUpMs (two hours), not the 30 minutes an unlisted transaction is given, then is FAILED saying so", async () => {
    simulator.transactionWords = { ...DEFAULT_WORDS, complete: 'archived' };
    try {
      const id = await restore(false);
      expect(await statusOf(id)).toEqual({ status: 'RUNNING', error: null });
      expect(await statusOf(startedEarlier(id, UNSEEN_RESTORE_GIVES_UP_MS + 60_000))).toEqual({ status: 'RUNNING', error: null });
      expect(await statusOf(startedEarlier(id, DEFAULT_RESTORE_GIVE_UP_MS - 60_000))).toEqual({ status: 'RUNNING', error: null });
      expect(await statusOf(startedEarlier(id, DEFAULT_RESTORE_GIVE_UP_MS + 60_000))).toEqual({
        status: 'FAILED',
        error: 'OnApp\'s restore transaction reads "archived", a status the gateway does not know, 120 minutes after the request (restoreGiveUpMs): it may still be running, so look at the virtual server in OnApp',
      });
    } finally {
      simulator.transactionWords = DEFAULT_WORDS;
    }
  });

  it('quotes no word that is no plain token, and a known running word stays RUNNING past 30 minutes', async () => {
    simulator.transactionWords = { ...DEFAULT_WORDS, complete: 'done <script>' + 'x'.repeat(200) };
    try {
      const id = await restore(false);
      expect(await statusOf(startedEarlier(id, DEFAULT_RESTORE_GIVE_UP_MS + 60_000))).toMatchObject({ status: 'FAILED', error: expect.stringContaining('reads a word that is no plain status, a status') });
    } finally {
      simulator.transactionWords = DEFAULT_WORDS;
    }
    simulator.transactionWords = { ...DEFAULT_WORDS, running: 'Pending' };
    simulator.asyncDelayMs = 86_400_000;
    try {
      const id = await restore(false);
      expect(await statusOf(startedEarlier(id, UNSEEN_RESTORE_GIVES_UP_MS + 60_000))).toEqual({ status: 'RUNNING', error: null });
    } finally {
      simulator.asyncDelayMs = 0;
      simulator.transactionWords = DEFAULT_WORDS;
    }
  });

  it('waits as long as the account configures (restoreGiveUpMs: 5 h)', async () => {
    await withHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0, restoreGiveUpMs: 5 * 3_600_000 }, 'onapp') }, async (configured) => {
      const other = configured.simulator('onapp').simulator as OnappSimulator;
      other.asyncDelayMs = 0;
      other.transactionWords = { ...DEFAULT_WORDS, complete: 'archived' };
      const answer = await configured.gql<Listed>(LIST);
      const backup = answer.data!.instances.edges.flatMap((edge) => edge.node.backups).find((candidate) => {
        const record = other.backups.get(Number(candidate.nativeId));
        return record !== undefined && Date.now() >= record.builtAt;
      })!;
      const restored = await configured.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: backup.id, confirm: true } });
      expect(restored.errors).toBeUndefined();
      const id = restored.data!.restoreBackup.operation.id;
      const at = async (ms: number) => (await configured.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id: startedEarlier(id, ms) })).data?.operation;
      expect(await at(3 * 3_600_000)).toEqual({ status: 'RUNNING', error: null });
      expect(await at(5 * 3_600_000 + 60_000)).toMatchObject({ status: 'FAILED', error: expect.stringContaining('300 minutes after the request (restoreGiveUpMs)') });
    });
  });
});
