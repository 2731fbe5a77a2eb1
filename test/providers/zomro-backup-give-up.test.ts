import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeId, encodeId } from '../../src/domain/ids.js';
import { DEFAULT_BACKUP_GIVE_UP_MS } from '../../src/providers/zomro/config.js';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { type Harness, startHarness, withHarness, withProviderSettings } from '../helpers/harness.js';
import { NamedMemoryStore } from '../helpers/named-memory-store.js';
import { recordedAsStarted } from '../helpers/started-record.js';

/**
 * A Zomro create follows its backup's word until Active, a delete its backup until it leaves the
 * list. A snapshot stuck in Saving, or a delete the panel accepted and never carried out, kept
 * the operation RUNNING for ever: past backupGiveUpMs it is FAILED.
 */

const LIST = '{ instances(first: 1000) { edges { node { id backups { id status } } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';
const DEFAULT_MINUTES = DEFAULT_BACKUP_GIVE_UP_MS / 60_000;

interface Node {
  id: string;
  backups: Array<{ id: string; status: string }>;
}

/** An operation id as if it had been asked `ageMs` ago (the id carries its start). */
function agedBy(id: string, ageMs: number): string {
  const { providerId, keys } = decodeId(id);
  const [kind = '', startedAt = '', ...rest] = keys;
  return encodeId('Operation', providerId, [kind, String(Number(startedAt) - ageMs), ...rest]);
}

describe('zomro: creates and deletes that never end', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let nodes: Node[];
  /** The gateway's store: an aged id is recorded there as its mutation would have recorded it (a delete's status rests on the record). */
  const store = new NamedMemoryStore();
  const poll = async (id: string, ageMs: number) =>
    (await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id: await recordedAsStarted(store, agedBy(id, ageMs)) })).data?.operation;

  beforeAll(async () => {
    // A new backup stays Saving, and a delete stays under way, all through this file.
    harness = await startHarness({ kinds: ['zomro'], store, simulator: { asyncDelayMs: 86_400_000 }, configure: withProviderSettings({ cacheTtlMs: 0, restoreSettleMs: 600_000 }) });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    simulator.deleteDelayMs = 86_400_000;
    const list = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
    nodes = list.data!.instances.edges.map((edge) => edge.node);
  });
  afterAll(() => harness.close());

  it(`a backup still Saving ${DEFAULT_MINUTES} minutes after its create is FAILED, not RUNNING for ever`, async () => {
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: nodes[0]!.id, name: 'stuck-saving' } });
    expect(created.errors).toBeUndefined();
    const id = created.data!.createBackup.operation.id;
    expect(await poll(id, 0)).toEqual({ status: 'RUNNING', error: null });
    expect(await poll(id, DEFAULT_BACKUP_GIVE_UP_MS - 60_000)).toEqual({ status: 'RUNNING', error: null });
    expect(await poll(id, DEFAULT_BACKUP_GIVE_UP_MS + 60_000)).toEqual({ status: 'FAILED', error: `the backup still shows "Saving" ${DEFAULT_MINUTES} minutes after its create (backupGiveUpMs): it may yet turn Active, so look at the instance's backups before creating another` });
  });

  it(`a backup still listed ${DEFAULT_MINUTES} minutes after its delete is FAILED, not RUNNING for ever`, async () => {
    const backup = nodes[4]!.backups.find((item) => item.status === 'AVAILABLE')!;
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string } } }>(DELETE, { input: { backupId: backup.id } });
    expect(deleted.errors).toBeUndefined();
    const id = deleted.data!.deleteBackup.operation.id;
    expect(await poll(id, 0)).toEqual({ status: 'RUNNING', error: null });
    expect(await poll(id, DEFAULT_BACKUP_GIVE_UP_MS - 60_000)).toEqual({ status: 'RUNNING', error: null });
    expect(await poll(id, DEFAULT_BACKUP_GIVE_UP_MS + 60_000)).toEqual({ status: 'FAILED', error: `the backup is still listed ${DEFAULT_MINUTES} minutes after its delete (status "Active")` });
  });

  it("a backup still uploading or importing (Glance's words while its data arrives) is being made: RUNNING, not FAILED", async () => {
    for (const word of ['uploading', 'importing']) {
      simulator.savingWord = word;
      try {
        const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: nodes[2]!.id, name: `still-${word}` } });
        expect(created.errors).toBeUndefined();
        expect(await poll(created.data!.createBackup.operation.id, 0), word).toEqual({ status: 'RUNNING', error: null });
      } finally {
        simulator.savingWord = 'Saving';
      }
    }
  });

  it('a create whose backup ends in a hostile word does not copy the word into its error', async () => {
    const hostile = `Broken\u202e${'x'.repeat(5_000)}\u0007`;
    simulator.asyncDelayMs = 0;
    simulator.createdBackupStatus = hostile;
    try {
      const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: nodes[1]!.id, name: 'hostile-word' } });
      expect(created.errors).toBeUndefined();
      const done = await poll(created.data!.createBackup.operation.id, 0);
      expect(done).toEqual({ status: 'FAILED', error: 'backup status a word that is no plain status' });
    } finally {
      simulator.asyncDelayMs = 86_400_000;
      simulator.createdBackupStatus = 'Active';
    }
  });
});

describe('zomro: backupGiveUpMs', () => {
  it('an account may set its own limit (an hour here)', async () => {
    await withHarness({ kinds: ['zomro'], simulator: { asyncDelayMs: 86_400_000 }, configure: withProviderSettings({ cacheTtlMs: 0, restoreSettleMs: 600_000, backupGiveUpMs: 3_600_000 }) }, async (harness) => {
      const list = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
      const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: list.data!.instances.edges[0]!.node.id, name: 'stuck-saving' } });
      const aged = agedBy(created.data!.createBackup.operation.id, 3_600_000 + 60_000);
      expect((await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id: aged })).data?.operation).toEqual({
        status: 'FAILED',
        error: 'the backup still shows "Saving" 60 minutes after its create (backupGiveUpMs): it may yet turn Active, so look at the instance\'s backups before creating another',
      });
    });
  });
});
