import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeId, encodeId } from '../../src/domain/ids.js';
import { DEFAULT_BACKUP_GIVE_UP_MS } from '../../src/providers/zstack/config.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { NamedMemoryStore } from '../helpers/named-memory-store.js';
import { recordedAsStarted } from '../helpers/started-record.js';

const INSTANCES = '{ instances(first: 100) { edges { node { id nativeId backups { id nativeId } } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error errorCode providerErrorCode } }';
const TIMEOUT = 'A message or a operation timeout';

/** An operation id as if it had been asked `ageMs` ago (the id carries its start). */
function agedBy(id: string, ageMs: number): string {
  const { providerId, keys } = decodeId(id);
  const [kind = '', startedAt = '', ...rest] = keys;
  return encodeId('Operation', providerId, [kind, String(Number(startedAt) - ageMs), ...rest]);
}

interface Vm {
  id: string;
  nativeId: string;
  backups: Array<{ id: string; nativeId: string }>;
}
interface Polled {
  status: string;
  error: string | null;
  errorCode: string | null;
  providerErrorCode: string | null;
}

/**
 * A job failing with SYS.1001, the API docs' own error example ("A message or a operation timeout",
 * "Create VM on KVM timeout after 300s"): the management node stopped waiting, and the work may
 * still be done. Each job answers its timeout at its first poll (asyncDelayMs 0); the simulator's
 * `timeOutNextJob` finishes the work after it, `failNextJob` undoes it (a create rolled back).
 */
describe('zstack: a job that timed out (SYS.1001)', () => {
  let harness: Harness;
  /** The gateway's store: an aged create or delete id is recorded there as its mutation would have recorded it. */
  const store = new NamedMemoryStore();
  let simulator: ZstackSimulator;
  let vms: Vm[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], store, configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.asyncDelayMs = 0;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Vm }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    vms = answer.data!.instances.edges.map((edge) => edge.node).filter((node) => node.backups.length > 0);
    expect(vms.length).toBeGreaterThanOrEqual(3);
  });
  afterAll(() => harness.close());

  const poll = async (id: string): Promise<Polled | undefined> => (await harness.gql<{ operation: Polled }>(OPERATION, { id })).data?.operation;
  const ended = async (id: string): Promise<Polled | undefined> =>
    (await eventually(() => harness.gql<{ operation: Polled }>(OPERATION, { id }), (read) => read.data?.operation.status !== 'RUNNING')).data?.operation;

  async function create(vm: Vm, name: string): Promise<string> {
    const started = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: vm.id, name } });
    expect(started.errors).toBeUndefined();
    return started.data!.createBackup.operation.id;
  }

  it('a create whose backup ZStack goes on making is RUNNING while it is Creating, then SUCCEEDED (it was FAILED)', async () => {
    simulator.timeOutNextJob = { workDoneAfterMs: 3_600_000 };
    const id = await create(vms[0]!, 'timed-out-create');
    expect(await poll(id)).toEqual({ status: 'RUNNING', error: null, errorCode: null, providerErrorCode: null });
    const group = simulator.volumeBackups.find((volume) => volume.name === 'timed-out-create')!.groupUuid;
    for (const volume of simulator.volumeBackups) if (volume.groupUuid === group) volume.status = 'Ready';
    expect(await poll(id)).toEqual({ status: 'SUCCEEDED', error: null, errorCode: null, providerErrorCode: null });
  });

  it(`a create whose backup ZStack leaves Creating for good is FAILED ${DEFAULT_BACKUP_GIVE_UP_MS / 60_000} minutes after it, saying it may still finish, timed out or expired (it read RUNNING for ever)`, async () => {
    // The agent never finishes: the backup stays Creating (workDoneAfterMs past any poll here).
    simulator.timeOutNextJob = { workDoneAfterMs: 86_400_000 };
    const id = await create(vms[2]!, 'abandoned-create');
    const minutes = DEFAULT_BACKUP_GIVE_UP_MS / 60_000;
    const aged = async (ageMs: number) => poll(await recordedAsStarted(store, agedBy(id, ageMs)));
    expect(await aged(DEFAULT_BACKUP_GIVE_UP_MS - 60_000)).toEqual({ status: 'RUNNING', error: null, errorCode: null, providerErrorCode: null });
    expect(await aged(DEFAULT_BACKUP_GIVE_UP_MS + 60_000)).toEqual({
      status: 'FAILED',
      error: `ZStack still lists the backup as being made ${minutes} minutes after its create (backupGiveUpMs), and its job timed out (SYS.1001): it may still finish, so look at the VM's backups before creating another`,
      errorCode: 'PROVIDER_ERROR',
      providerErrorCode: 'SYS.1001',
    });
    simulator.expireJobs();
    expect(await aged(DEFAULT_BACKUP_GIVE_UP_MS - 60_000)).toEqual({ status: 'RUNNING', error: null, errorCode: null, providerErrorCode: null });
    expect((await aged(DEFAULT_BACKUP_GIVE_UP_MS + 60_000))?.error).toBe(
      `ZStack still lists the backup as being made ${minutes} minutes after its create (backupGiveUpMs), and the provider no longer knows its job (expired): it may still finish, so look at the VM's backups before creating another`,
    );
    // Made after all, the create reads SUCCEEDED, as the message says it may.
    const group = simulator.volumeBackups.find((volume) => volume.name === 'abandoned-create')!.groupUuid;
    for (const volume of simulator.volumeBackups) if (volume.groupUuid === group) volume.status = 'Ready';
    expect((await aged(DEFAULT_BACKUP_GIVE_UP_MS + 60_000))?.status).toBe('SUCCEEDED');
  });

  it('a create whose flow rolled its backup back stays FAILED with ZStack\'s words, and an older backup of its name is not taken', async () => {
    await ended(await create(vms[1]!, 'timed-out-twice'));
    simulator.failNextJob = { code: 'SYS.1001', description: TIMEOUT, details: 'Create VM on KVM timeout after 300s' };
    const id = await create(vms[1]!, 'timed-out-twice');
    expect(await ended(id)).toEqual({ status: 'FAILED', error: TIMEOUT, errorCode: 'PROVIDER_ERROR', providerErrorCode: 'SYS.1001' });
  });

  it('a delete whose group ZStack went on to delete is SUCCEEDED (it was FAILED)', async () => {
    const backup = vms[2]!.backups[0]!;
    simulator.timeOutNextJob = { workDoneAfterMs: 0 };
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string } } }>(DELETE, { input: { backupId: backup.id } });
    expect(deleted.errors).toBeUndefined();
    expect(await ended(deleted.data!.deleteBackup.operation.id)).toEqual({ status: 'SUCCEEDED', error: null, errorCode: null, providerErrorCode: null });
    expect(simulator.volumeBackups.some((volume) => volume.groupUuid === backup.nativeId)).toBe(false);
  });

  it(`a delete whose backup ZStack leaves Deleting is FAILED ${DEFAULT_BACKUP_GIVE_UP_MS / 60_000} minutes after it, saying it may still finish, timed out or expired (it read RUNNING for ever)`, async () => {
    const backup = vms[1]!.backups.at(-1)!;
    // The agent never finishes: the group stays Deleting (workDoneAfterMs past any poll here).
    simulator.timeOutNextJob = { workDoneAfterMs: 86_400_000 };
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string } } }>(DELETE, { input: { backupId: backup.id } });
    expect(deleted.errors).toBeUndefined();
    for (const volume of simulator.volumeBackups) if (volume.groupUuid === backup.nativeId) volume.status = 'Deleting';
    const id = deleted.data!.deleteBackup.operation.id;
    const minutes = DEFAULT_BACKUP_GIVE_UP_MS / 60_000;
    const aged = async (ageMs: number) => poll(await recordedAsStarted(store, agedBy(id, ageMs)));
    expect(await aged(DEFAULT_BACKUP_GIVE_UP_MS - 60_000)).toEqual({ status: 'RUNNING', error: null, errorCode: null, providerErrorCode: null });
    expect(await aged(DEFAULT_BACKUP_GIVE_UP_MS + 60_000)).toEqual({
      status: 'FAILED',
      error: `ZStack still lists the backup as being deleted ${minutes} minutes after its delete (backupGiveUpMs), and its job timed out (SYS.1001): it may still finish, so look at the VM's backups before deleting it again`,
      errorCode: 'PROVIDER_ERROR',
      providerErrorCode: 'SYS.1001',
    });
    simulator.expireJobs();
    expect(await aged(DEFAULT_BACKUP_GIVE_UP_MS - 60_000)).toEqual({ status: 'RUNNING', error: null, errorCode: null, providerErrorCode: null });
    expect((await aged(DEFAULT_BACKUP_GIVE_UP_MS + 60_000))?.error).toBe(
      `ZStack still lists the backup as being deleted ${minutes} minutes after its delete (backupGiveUpMs), and the provider no longer knows its job (expired): it may still finish, so look at the VM's backups before deleting it again`,
    );
    // Deleted after all, the delete reads SUCCEEDED, as the message says it may (asked by its own id:
    // a SUCCEEDED from absence is told only for an operation this gateway started).
    for (let index = simulator.volumeBackups.length - 1; index >= 0; index--) if (simulator.volumeBackups[index]!.groupUuid === backup.nativeId) simulator.volumeBackups.splice(index, 1);
    expect((await poll(id))?.status).toBe('SUCCEEDED');
  });

  it('a revert that timed out is FAILED saying it may still finish and to look at the VM (it said the timeout alone)', async () => {
    const vm = vms[0]!;
    simulator.timeOutNextJob = { workDoneAfterMs: 0 };
    const started = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: vm.backups[0]!.id, confirm: true } });
    expect(started.errors).toBeUndefined();
    expect(await ended(started.data!.restoreBackup.operation.id)).toEqual({
      status: 'FAILED',
      error: `${TIMEOUT}: ZStack stopped waiting on the revert (SYS.1001, a timeout), which may still finish on its own: look at the VM before reverting it again`,
      errorCode: 'PROVIDER_ERROR',
      providerErrorCode: 'SYS.1001',
    });
  });
});
