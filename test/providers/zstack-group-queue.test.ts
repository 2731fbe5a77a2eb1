import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { errorCodes, eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const INSTANCES = '{ instances(first: 100) { edges { node { id backups { id nativeId } } } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error errorCode providerErrorCode } }';

interface Polled {
  operation: { status: string; error: string | null; errorCode: string | null; providerErrorCode: string | null };
}

/**
 * ZStack runs the operations on one resource one after another (a ChainTask per operation, its sync
 * signature naming the resource: the open-source VolumeSnapshotGroupBase queues a group's delete and
 * revert both under "volumeSnapshotGroup-<uuid>"), and the later one's checks run when its turn comes.
 * The simulator ran a delete and a revert of one VM backup group side by side, each checked on arrival.
 */
describe('zstack: a delete and a revert of one backup group are run one after the other', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  let vms: Array<{ id: string; backups: Array<{ id: string; nativeId: string }> }>;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string; backups: Array<{ id: string; nativeId: string }> } }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    vms = answer.data!.instances.edges.map((edge) => edge.node).filter((node) => node.backups.length > 0);
  });
  beforeEach(() => {
    simulator.finishJobs();
    simulator.asyncDelayMs = 60_000;
  });
  afterAll(() => harness.close());

  const poll = (id: string) => harness.gql<Polled>(OPERATION, { id });
  const settled = (id: string) => eventually(() => poll(id), (read) => read.data?.operation.status !== 'RUNNING');
  const listed = (group: string) => simulator.volumeBackups.some((volume) => volume.groupUuid === group);
  const reverts = () => simulator.server.log.filter((request) => request.label === 'PUT /zstack/v1/vm-backups/:uuid/actions').length;

  it('a delete asked during a running revert waits for it: RUNNING, the backup kept, until the revert ends; then both succeed (the delete ended first)', async () => {
    const backup = vms[0]!.backups[0]!;
    const restored = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: backup.id, confirm: true } });
    expect(restored.errors).toBeUndefined();
    // The delete alone would be done at once; queued, it starts when the revert (a minute) ends.
    simulator.asyncDelayMs = 0;
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string } } }>(DELETE, { input: { backupId: backup.id } });
    expect(deleted.errors).toBeUndefined();
    expect((await poll(deleted.data!.deleteBackup.operation.id)).data?.operation.status).toBe('RUNNING');
    expect(listed(backup.nativeId)).toBe(true);
    simulator.finishJobs();
    expect((await settled(restored.data!.restoreBackup.operation.id)).data?.operation).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect((await settled(deleted.data!.deleteBackup.operation.id)).data?.operation).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect(listed(backup.nativeId)).toBe(false);
  });

  it("a restore asked during the gateway's own delete is refused CONFLICT before any call, its idempotencyKey freed (it answered an operation that later failed)", async () => {
    const backup = vms[1]!.backups[0]!;
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string } } }>(DELETE, { input: { backupId: backup.id } });
    expect(deleted.errors).toBeUndefined();
    const revertsBefore = reverts();
    const key = `restore-${randomUUID()}`;
    const refused = await harness.gql(RESTORE, { input: { backupId: backup.id, confirm: true, idempotencyKey: key } });
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors?.[0]?.message).toBe('the backup is being deleted: a restore cannot start from it (try again if its delete fails)');
    expect(refused.data?.restoreBackup ?? null).toBeNull();
    expect(reverts()).toBe(revertsBefore);
    simulator.finishJobs();
    expect((await settled(deleted.data!.deleteBackup.operation.id)).data?.operation.status).toBe('SUCCEEDED');
    // The key did nothing, so it is free: the same request now meets the backup gone, not a replay of the refusal.
    const again = await harness.gql(RESTORE, { input: { backupId: backup.id, confirm: true, idempotencyKey: key } });
    expect(errorCodes(again)).toEqual(['NOT_FOUND']);
    expect(reverts()).toBe(revertsBefore);
  });

  it("a restore after the gateway's delete FAILED at ZStack, that no one polled, is sent: the delete's operation is looked at first, not refused CONFLICT on the gateway's record", async () => {
    const backup = vms[3]!.backups[0]!;
    simulator.failNextJob = { code: 'SYS.1000', description: 'the delete failed', details: 'a storage error' };
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string; status: string } } }>(DELETE, { input: { backupId: backup.id } });
    expect(deleted.errors).toBeUndefined();
    expect(deleted.data!.deleteBackup.operation.status).toBe('RUNNING');
    // The delete's job fails at ZStack, the backup kept; the client does not poll it.
    simulator.finishJobs();
    expect(listed(backup.nativeId)).toBe(true);
    const revertsBefore = reverts();
    const restored = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: backup.id, confirm: true, idempotencyKey: `restore-${randomUUID()}` } });
    expect(restored.errors).toBeUndefined();
    expect(reverts()).toBe(revertsBefore + 1);
    // The look ended the gateway's record: the delete reads FAILED and the backup its provider's word.
    expect((await poll(deleted.data!.deleteBackup.operation.id)).data?.operation.status).toBe('FAILED');
    simulator.finishJobs();
    expect((await settled(restored.data!.restoreBackup.operation.id)).data?.operation).toMatchObject({ status: 'SUCCEEDED', error: null });
  });

  it("a revert queued behind a delete from outside the gateway fails its job when its turn comes: FAILED, NOT_FOUND, SYS.1003 (it read SUCCEEDED on a backup the delete removed)", async () => {
    const backup = vms[2]!.backups[0]!;
    // A delete from ZStack's own console, which the gateway has no record of.
    const session = randomUUID().replace(/-/g, '');
    simulator.sessions.add(session);
    const outside = await fetch(`${simulator.url}/zstack/v1/vm-backups/${backup.nativeId}?deleteMode=Permissive`, { method: 'DELETE', headers: { authorization: `OAuth ${session}` } });
    expect(outside.status).toBe(202);
    await outside.text();
    const key = `restore-${randomUUID()}`;
    const restored = await harness.gql<{ restoreBackup: { operation: { id: string; status: string } } }>(RESTORE, { input: { backupId: backup.id, confirm: true, idempotencyKey: key } });
    expect(restored.errors).toBeUndefined();
    const id = restored.data!.restoreBackup.operation.id;
    expect((await poll(id)).data?.operation.status).toBe('RUNNING');
    simulator.finishJobs();
    expect(listed(backup.nativeId)).toBe(false);
    expect((await settled(id)).data?.operation).toEqual({ status: 'FAILED', error: `No volume backups found with group uuid: ${backup.nativeId}`, errorCode: 'NOT_FOUND', providerErrorCode: 'SYS.1003' });
    // The revert was sent (the job may have acted): the key replays its operation, no second revert.
    const revertsBefore = reverts();
    expect(revertsBefore).toBeGreaterThan(0);
    const again = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: backup.id, confirm: true, idempotencyKey: key } });
    expect(again.errors).toBeUndefined();
    expect(again.data?.restoreBackup.operation.id).toBe(id);
    expect(reverts()).toBe(revertsBefore);
  });
});
