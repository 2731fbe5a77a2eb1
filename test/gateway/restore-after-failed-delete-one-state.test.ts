import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const INSTANCES = '{ instances(first: 100) { edges { node { id backups { id status } } } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
/** One document reading the restored backup twice: in the payload, and in its instance's list read after the restore. */
const RESTORE_READ_TWICE = `mutation($input: RestoreBackupInput!) {
  restoreBackup(input: $input) {
    operation { status }
    backup { id status instance { backups { id status } } }
  }
}`;

type Listed = Array<{ id: string; status: string }>;
interface Restored {
  restoreBackup: { operation: { status: string }; backup: { id: string; status: string; instance: { backups: Listed } } };
}

/**
 * A restore of a backup shown DELETING only by the gateway's record of its own delete looks at
 * that delete's operation first, and restores a backup whose delete FAILED (deletingBackupLook).
 * The payload showed that backup AVAILABLE, but its instance's list, read later in the same answer,
 * still showed it DELETING: the request kept the record it had folded in before the look. A client
 * cache normalising by id kept whichever it wrote last.
 */
describe('a restore of a backup whose failed delete it just looked at: one status in the whole answer', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.asyncDelayMs = 600_000;
  });
  afterAll(() => harness.close());

  it('the payload and the instance list read after the restore both show the backup AVAILABLE', async () => {
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string; backups: Listed } }> } }>(INSTANCES);
    expect(listed.errors).toBeUndefined();
    const vm = listed.data!.instances.edges.map((edge) => edge.node).find((node) => node.backups.length > 0 && node.backups.every((backup) => backup.status === 'AVAILABLE'));
    expect(vm).toBeDefined();
    const backup = vm!.backups[0]!;

    // The delete's job fails at ZStack, the backup kept; no one polls the operation.
    simulator.failNextJob = { code: 'SYS.1000', description: 'the delete failed', details: 'a storage error' };
    const deleted = await harness.gql<{ deleteBackup: { operation: { status: string } } }>(DELETE, { input: { backupId: backup.id } });
    expect(deleted.errors).toBeUndefined();
    expect(deleted.data!.deleteBackup.operation.status).toBe('RUNNING');
    simulator.finishJobs();

    const restored = await harness.gql<Restored>(RESTORE_READ_TWICE, { input: { backupId: backup.id, confirm: true, idempotencyKey: `restore-${randomUUID()}` } });
    expect(restored.errors).toBeUndefined();
    const payload = restored.data!.restoreBackup.backup;
    expect(payload.status).toBe('AVAILABLE');
    expect(payload.instance.backups.find((row) => row.id === backup.id)?.status).toBe('AVAILABLE');
    simulator.finishJobs();
  });
});
