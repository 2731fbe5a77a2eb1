import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBackupId } from '../../src/gateway/ids.js';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const INSTANCES = '{ instances(first: 100) { edges { node { backups { id status protected } } } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
const BESIDE_BACKUP = 'query($id: ID!) { operation(id: $id) { status backup { status } } }';
const CANCEL = 'mutation($id: ID!) { cancelOperation(input: { operationId: $id }) { operation { status } } }';
const CANCELS = 'PUT /task/:x/cancel';

/**
 * Danube lists a deleted backup gone before its task says it ended: an answer selecting `backup`
 * then shows the delete SUCCEEDED (operation-as-shown.ts), and later reads agree (its start record
 * marked). A cancel of it was still sent: Danube revoked the task, and the operation, shown
 * SUCCEEDED with its backup gone, read FAILED "the task was revoked" from then on.
 */
describe('danube: a cancel of a delete an answer already showed SUCCEEDED', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
  });
  afterAll(async () => {
    simulator.finishTasks();
    await harness.close();
  });

  it('is refused as finished, nothing sent, and the operation still reads SUCCEEDED', async () => {
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ id: string; status: string; protected: boolean }> } }> } }>(INSTANCES);
    expect(listed.errors).toBeUndefined();
    const backup = listed.data!.instances.edges.flatMap((edge) => edge.node.backups).find((item) => item.status === 'AVAILABLE' && !item.protected)!;
    simulator.asyncDelayMs = 3_600_000;
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string; status: string } } }>(DELETE, { input: { backupId: backup.id } });
    expect(deleted.errors).toBeUndefined();
    const id = deleted.data!.deleteBackup.operation.id;
    // The backup's row gone, the task still pending.
    const { instanceNativeId, nativeId } = decodeBackupId(backup.id);
    const row = simulator.backups.findIndex((item) => item.hostname === instanceNativeId && item.name === nativeId);
    expect(row).toBeGreaterThanOrEqual(0);
    simulator.backups.splice(row, 1);

    const shown = await harness.gql<{ operation: { status: string } }>(BESIDE_BACKUP, { id });
    expect(shown.data!.operation).toEqual({ status: 'SUCCEEDED', backup: null });

    const server = harness.simulator('danube').server;
    const before = server.count(CANCELS);
    const cancelled = await harness.gql<{ cancelOperation: { operation: { status: string } } | null }>(CANCEL, { id });
    expect(cancelled.errors?.[0]?.extensions?.code, JSON.stringify(cancelled.data) + String(server.count(CANCELS) - before)).toBe('CONFLICT');
    expect(cancelled.errors?.[0]?.message).toContain('already finished');
    expect(server.count(CANCELS)).toBe(before);

    const after = await harness.gql<{ operation: { status: string } }>(BESIDE_BACKUP, { id });
    expect(after.data!.operation).toEqual({ status: 'SUCCEEDED', backup: null });
  });
});
