import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const INSTANCES = '{ instances(first: 100) { edges { node { id nativeId backups { id nativeId } } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';
const SYNC = 'mutation { syncBackups(input: { providerId: "zstack-test" }) { operation { id status } } }';

interface Vm {
  id: string;
  nativeId: string;
  backups: Array<{ id: string; nativeId: string }>;
}

/** SYS.1003 under ZStack's OPERATION_ERROR, as its flows wrap it (`Platform.operr(cause, ...)`). */
const wrapped = (description: string) => ({ code: 'SYS.1006', description: 'An operation failed', cause: { code: 'SYS.1003', description } });

/**
 * A write answered 404 at once with SYS.1003 in its error's chain was NOT_FOUND on sight, where the
 * same error in a failed job is judged by what the write acted on: a delete of a group already gone
 * SUCCEEDED, a revert or create NOT_FOUND only once its group or VM is no longer listed, else ZStack's
 * error (another resource it named, an image store, is missing).
 */
describe('zstack: a write answered 404 at once with SYS.1003 under a wrapper', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  let vms: Vm[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Vm }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    vms = answer.data!.instances.edges.map((edge) => edge.node).filter((node) => node.backups.length > 0);
    expect(vms.length).toBeGreaterThanOrEqual(3);
  });
  afterAll(() => harness.close());

  /** Removes the group at ZStack behind the gateway's read cache. */
  function dropGroup(group: string): void {
    for (let index = simulator.volumeBackups.length - 1; index >= 0; index--) if (simulator.volumeBackups[index]!.groupUuid === group) simulator.volumeBackups.splice(index, 1);
  }

  it('a delete of a group already gone is SUCCEEDED (it was NOT_FOUND)', async () => {
    const backup = vms[0]!.backups[0]!;
    dropGroup(backup.nativeId);
    simulator.nextWriteNotFound = wrapped(`No volume backups found with group uuid: ${backup.nativeId}`);
    const answer = await harness.gql<{ deleteBackup: { operation: { status: string } } }>(DELETE, { input: { backupId: backup.id } });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.deleteBackup.operation.status).toBe('SUCCEEDED');
  });

  it('a delete whose group is still listed is ZStack\'s error, its code kept, not NOT_FOUND', async () => {
    const backup = vms[1]!.backups[0]!;
    simulator.nextWriteNotFound = wrapped('cannot find image store');
    const answer = await harness.gql(DELETE, { input: { backupId: backup.id } });
    expect(errorCodes(answer)).toEqual(['PROVIDER_ERROR']);
    expect(answer.errors?.[0]?.message).toBe('An operation failed: cannot find image store');
    expect(answer.errors?.[0]?.extensions).toMatchObject({ providerCode: 'SYS.1006' });
  });

  it('a revert whose group is still listed is ZStack\'s error; once the group is gone, NOT_FOUND', async () => {
    const backup = vms[2]!.backups[0]!;
    simulator.nextWriteNotFound = wrapped('cannot find image store');
    const listed = await harness.gql(RESTORE, { input: { backupId: backup.id, confirm: true } });
    expect(errorCodes(listed)).toEqual(['PROVIDER_ERROR']);
    expect(listed.errors?.[0]?.extensions).toMatchObject({ providerCode: 'SYS.1006' });
    dropGroup(backup.nativeId);
    simulator.nextWriteNotFound = wrapped(`No volume backups found with group uuid: ${backup.nativeId}`);
    expect(errorCodes(await harness.gql(RESTORE, { input: { backupId: backup.id, confirm: true } }))).toEqual(['NOT_FOUND']);
  });

  it('a create whose VM is still listed is ZStack\'s error, not NOT_FOUND', async () => {
    simulator.nextWriteNotFound = wrapped('cannot find image store');
    const answer = await harness.gql(CREATE, { input: { instanceId: vms[0]!.id, name: 'at-once' } });
    expect(errorCodes(answer)).toEqual(['PROVIDER_ERROR']);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ providerCode: 'SYS.1006' });
  });

  it('a sync, which names only its image store, stays NOT_FOUND', async () => {
    simulator.nextWriteNotFound = wrapped('cannot find image store');
    expect(errorCodes(await harness.gql(SYNC))).toEqual(['NOT_FOUND']);
  });
});
