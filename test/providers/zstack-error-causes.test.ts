import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const INSTANCES = '{ instances(first: 100) { edges { node { id nativeId backups { id nativeId } } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error errorCode providerErrorCode } }';

interface Vm {
  id: string;
  nativeId: string;
  backups: Array<{ id: string; nativeId: string }>;
}
interface Ended {
  status: string;
  error: string | null;
  errorCode: string | null;
  providerErrorCode: string | null;
}

/**
 * ZStack's error shape (API docs) carries `cause`, "The root error", and ZStack's flows wrap the
 * error they met in an OPERATION_ERROR (`Platform.operr(cause, ...)`: SYS.1006 "An operation
 * failed" on top, the SYS.1003 of a missing group or image store below). The simulator's
 * `wrapsJobErrors` answers failed jobs so. Read from the top alone, a delete of a group already
 * gone was FAILED, a revert of one PROVIDER_ERROR, and every such failure said only "An operation
 * failed".
 */
describe('zstack: failed jobs whose error is a wrapper over its cause', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  let vms: Vm[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.asyncDelayMs = 0;
    simulator.wrapsJobErrors = true;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Vm }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    vms = answer.data!.instances.edges.map((edge) => edge.node).filter((node) => node.backups.length > 0);
    expect(vms.length).toBeGreaterThanOrEqual(3);
  });
  afterAll(() => harness.close());

  async function ended(operationId: string): Promise<Ended | undefined> {
    const done = await eventually(() => harness.gql<{ operation: Ended }>(OPERATION, { id: operationId }), (read) => read.data?.operation.status !== 'RUNNING');
    expect(done.errors).toBeUndefined();
    return done.data?.operation;
  }

  /** Removes the group at ZStack behind the gateway's read cache. */
  function dropGroup(group: string): void {
    for (let index = simulator.volumeBackups.length - 1; index >= 0; index--) if (simulator.volumeBackups[index]!.groupUuid === group) simulator.volumeBackups.splice(index, 1);
  }

  it('a delete whose job fails SYS.1006 over SYS.1003, the group gone, is SUCCEEDED (it was FAILED "An operation failed")', async () => {
    simulator.missingGroupDelete = 'fails';
    const backup = vms[0]!.backups[0]!;
    dropGroup(backup.nativeId);
    const started = await harness.gql<{ deleteBackup: { operation: { id: string } } }>(DELETE, { input: { backupId: backup.id } });
    expect(started.errors).toBeUndefined();
    expect(await ended(started.data!.deleteBackup.operation.id)).toEqual({ status: 'SUCCEEDED', error: null, errorCode: null, providerErrorCode: null });
  });

  it('a revert of a group deleted meanwhile is NOT_FOUND and names the cause (it was PROVIDER_ERROR "An operation failed")', async () => {
    const backup = vms[1]!.backups[0]!;
    dropGroup(backup.nativeId);
    const started = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: backup.id, confirm: true } });
    expect(started.errors).toBeUndefined();
    expect(await ended(started.data!.restoreBackup.operation.id)).toEqual({
      status: 'FAILED',
      error: `An operation failed: No volume backups found with group uuid: ${backup.nativeId}`,
      errorCode: 'NOT_FOUND',
      providerErrorCode: 'SYS.1006',
    });
  });

  it('a create whose image store is gone stays PROVIDER_ERROR, its message naming the cause', async () => {
    simulator.imageStoreGone = true;
    try {
      const started = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: vms[2]!.id, name: 'store-gone' } });
      expect(started.errors).toBeUndefined();
      expect(await ended(started.data!.createBackup.operation.id)).toEqual({ status: 'FAILED', error: 'An operation failed: cannot find image store', errorCode: 'PROVIDER_ERROR', providerErrorCode: 'SYS.1006' });
    } finally {
      simulator.imageStoreGone = false;
    }
  });
});
