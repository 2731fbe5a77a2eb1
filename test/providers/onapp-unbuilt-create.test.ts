import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeId, encodeId } from '../../src/domain/ids.js';
import { DEFAULT_BACKUP_GIVE_UP_MS as UNBUILT_CREATE_GIVES_UP_MS, onappConfigSchema } from '../../src/providers/onapp/config.js';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { type Harness, startHarness, withHarness, withProviderSettings } from '../helpers/harness.js';
import { NamedMemoryStore } from '../helpers/named-memory-store.js';
import { recordedAsStarted } from '../helpers/started-record.js';

/**
 * An OnApp create follows its backup's `built` flag. OnApp takes the backup by a transaction, and
 * one that failed leaves the record listed with `built` false: the create read RUNNING for ever.
 * Past the account's backupGiveUpMs (two hours by default) it is FAILED, as an unlisted create and
 * an undeleted backup are.
 */

const LIST = '{ instances(first: 1000) { edges { node { id nativeId } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error backup { nativeId } } }';
const MINUTES = UNBUILT_CREATE_GIVES_UP_MS / 60_000;

/** An operation id as if it had been asked `ageMs` ago (the id carries its start). */
function agedBy(id: string, ageMs: number): string {
  const { providerId, keys } = decodeId(id);
  const [kind = '', startedAt = '', ...rest] = keys;
  return encodeId('Operation', providerId, [kind, String(Number(startedAt) - ageMs), ...rest]);
}

describe('onapp: a create whose backup is never built', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  let nodes: Array<{ id: string; nativeId: string }>;
  const poll = async (id: string, ageMs: number) => (await harness.gql<{ operation: { status: string; error: string | null; backup: { nativeId: string } | null } }>(OPERATION, { id: agedBy(id, ageMs) })).data?.operation;

  beforeAll(async () => {
    // A new backup stays unbuilt all through this file, as one whose take_backup transaction failed.
    harness = await startHarness({ kinds: ['onapp'], simulator: { asyncDelayMs: 86_400_000 }, configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>(LIST);
    nodes = list.data!.instances.edges.map((edge) => edge.node);
  });
  afterAll(() => harness.close());

  it(`is RUNNING while its backup is listed unbuilt, then FAILED ${MINUTES} minutes after its create, not RUNNING for ever`, async () => {
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: nodes[1]!.id, name: 'never-built' } });
    expect(created.errors).toBeUndefined();
    const id = created.data!.createBackup.operation.id;
    const fresh = await poll(id, 0);
    expect(fresh).toMatchObject({ status: 'RUNNING', error: null });
    const made = Number(fresh?.backup?.nativeId);
    expect(simulator.backups.get(made)?.vmId).toBe(Number(nodes[1]!.nativeId));
    expect(await poll(id, UNBUILT_CREATE_GIVES_UP_MS - 60_000)).toMatchObject({ status: 'RUNNING', error: null });
    expect(await poll(id, UNBUILT_CREATE_GIVES_UP_MS + 60_000)).toEqual({
      status: 'FAILED',
      error: `OnApp lists the backup unbuilt ${MINUTES} minutes after its create (backupGiveUpMs): its transaction may have failed, or it may yet be built, so look at it before creating another`,
      backup: { nativeId: String(made) },
    });
    // Built after all, the create reads SUCCEEDED, as the message says it may.
    simulator.backups.get(made)!.builtAt = 0;
    expect(await poll(id, UNBUILT_CREATE_GIVES_UP_MS + 60_000)).toMatchObject({ status: 'SUCCEEDED', error: null });
    // Built, its size is known and written: OnApp lists a built backup with its backup_size (KiB).
    const listed = await harness.gql<{ instance: { backups: Array<{ nativeId: string; status: string; sizeBytes: number | null }> } }>('query($id: ID!) { instance(id: $id) { backups { nativeId status sizeBytes } } }', { id: nodes[1]!.id });
    const built = listed.data!.instance.backups.find((backup) => backup.nativeId === String(made));
    expect(built?.status).toBe('AVAILABLE');
    expect(built?.sizeBytes).toBeGreaterThan(0);
    expect(built?.sizeBytes).toBe(simulator.backups.get(made)!.backup_size * 1024);
  });

  it("an unbuilt backup's size is not known (null), not the 0 OnApp shows meanwhile", async () => {
    const unbuilt = [...simulator.backups.values()].find((backup) => backup.builtAt === Number.MAX_SAFE_INTEGER)!;
    const node = nodes.find((candidate) => candidate.nativeId === String(unbuilt.vmId))!;
    const answer = await harness.gql<{ instance: { backups: Array<{ nativeId: string; status: string; sizeBytes: number | null; raw: Record<string, unknown> }> } }>('query($id: ID!) { instance(id: $id) { backups { nativeId status sizeBytes raw } } }', { id: node.id });
    const backups = answer.data!.instance.backups;
    expect(backups.find((backup) => backup.nativeId === String(unbuilt.id))).toMatchObject({ status: 'CREATING', sizeBytes: null, raw: { built: false, backup_size: 0 } });
    for (const built of backups.filter((backup) => backup.raw.built === true)) expect(built.sizeBytes).toBe(Number(built.raw.backup_size) * 1024);
  });

  it('a create whose id names its backup (an OnApp that answered the record) gives up the same way', async () => {
    const unbuilt = [...simulator.backups.values()].find((backup) => backup.builtAt === Number.MAX_SAFE_INTEGER)!;
    const id = (startedAt: number) => encodeId('Operation', 'onapp-test', ['CREATE_BACKUP', String(startedAt), String(unbuilt.vmId), String(unbuilt.id)]);
    const statusOf = async (startedAt: number) => (await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id: id(startedAt) })).data?.operation;
    expect(await statusOf(Date.now())).toMatchObject({ status: 'RUNNING' });
    expect(await statusOf(Date.now() - UNBUILT_CREATE_GIVES_UP_MS - 60_000)).toMatchObject({ status: 'FAILED', error: expect.stringContaining('unbuilt 120 minutes after its create') });
  });
});

describe('onapp: backupGiveUpMs', () => {
  it('two hours by default, an hour to a day', () => {
    const entry = { id: 'flex', kind: 'onapp', url: 'https://cloud.example.com', auth: { username: 'ops', password: 'key-of-the-user' } };
    const HOUR = 3_600_000;
    expect(onappConfigSchema.parse(entry).backupGiveUpMs).toBe(2 * HOUR);
    expect(onappConfigSchema.safeParse({ ...entry, backupGiveUpMs: HOUR - 1 }).success).toBe(false);
    expect(onappConfigSchema.safeParse({ ...entry, backupGiveUpMs: 24 * HOUR + 1 }).success).toBe(false);
    expect(onappConfigSchema.parse({ ...entry, backupGiveUpMs: 24 * HOUR }).backupGiveUpMs).toBe(24 * HOUR);
  });

  it('an account may set its own limit, for an unbuilt create and an undeleted backup alike (five hours here)', async () => {
    const limit = 5 * 3_600_000;
    // The gateway's store: an aged delete id is recorded there as deleteBackup would have recorded it.
    const store = new NamedMemoryStore();
    await withHarness({ kinds: ['onapp'], store, simulator: { asyncDelayMs: 86_400_000 }, configure: withProviderSettings({ cacheTtlMs: 0, backupGiveUpMs: limit }) }, async (harness) => {
      const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>(LIST);
      const node = list.data!.instances.edges[1]!.node;
      const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: node.id, name: 'slow-to-build' } });
      expect(created.errors).toBeUndefined();
      const poll = async (id: string, ageMs: number) =>
        (await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id: await recordedAsStarted(store, agedBy(id, ageMs)) })).data?.operation;
      const id = created.data!.createBackup.operation.id;
      // Past the default two hours, a large disk's backup still being built is not FAILED.
      expect(await poll(id, 3 * 3_600_000)).toMatchObject({ status: 'RUNNING', error: null });
      expect(await poll(id, limit + 60_000)).toMatchObject({
        status: 'FAILED',
        error: 'OnApp lists the backup unbuilt 300 minutes after its create (backupGiveUpMs): its transaction may have failed, or it may yet be built, so look at it before creating another',
      });
      // A delete of a backup OnApp still lists (its transaction failed), as deleteBackup's id names it.
      const simulator = harness.simulator('onapp').simulator as OnappSimulator;
      const listed = [...simulator.backups.values()].find((backup) => String(backup.vmId) === node.nativeId)!;
      const deletion = encodeId('Operation', 'onapp-test', ['DELETE_BACKUP', String(Date.now()), node.nativeId, String(listed.id)]);
      expect(await poll(deletion, 3 * 3_600_000)).toMatchObject({ status: 'RUNNING', error: null });
      expect(await poll(deletion, limit + 60_000)).toEqual({ status: 'FAILED', error: 'OnApp still lists the backup 300 minutes after its delete (backupGiveUpMs): look at it before deleting it again', backup: { nativeId: String(listed.id) } });
    });
  });
});
