import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOperationId } from '../../src/gateway/ids.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const INSTANCES = '{ instances(first: 100) { edges { node { id backups { id } } } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';

interface Shown {
  id: string;
  status: string;
  backup?: { status: string } | null;
}

/**
 * One answer holding one operation twice, once without `backup` and then with it (a dashboard's
 * fragments under two aliases): the second read SUCCEEDED beside its backup gone
 * (operation-as-shown.ts), the first RUNNING, its status looked at before the second's `backup`
 * resolver had started the look. A normalised client cache keeps one of the two under the one
 * id, whichever it wrote last. The delete is caught in ZStack's gap: its group's rows gone while
 * its job, held, still runs.
 */
describe('zstack: one operation twice in one answer, one alias selecting backup', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  let backupIds: string[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ id: string }> } }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    backupIds = answer.data!.instances.edges.flatMap((edge) => edge.node.backups.map((backup) => backup.id));
  });
  afterAll(async () => {
    simulator.finishJobs();
    await harness.close();
  });

  async function deleteInTheGap(backupId: string): Promise<string> {
    simulator.asyncDelayMs = 3_600_000;
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string } } }>(DELETE, { input: { backupId } });
    expect(deleted.errors).toBeUndefined();
    const id = deleted.data!.deleteBackup.operation.id;
    const group = decodeOperationId(id).backupNativeId;
    for (let index = simulator.volumeBackups.length - 1; index >= 0; index--) if (simulator.volumeBackups[index]!.groupUuid === group) simulator.volumeBackups.splice(index, 1);
    return id;
  }

  it('both aliases read SUCCEEDED, the one without backup first in the query', async () => {
    const id = await deleteInTheGap(backupIds[0]!);
    const answer = await harness.gql<{ a: Shown; b: Shown }>('query($id: ID!) { a: operation(id: $id) { id status } b: operation(id: $id) { id status backup { status } } }', { id });
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ a: { id, status: 'SUCCEEDED' }, b: { id, status: 'SUCCEEDED', backup: null } });
  });

  it('operation and node of one id, node selecting backup', async () => {
    const id = await deleteInTheGap(backupIds[1]!);
    const answer = await harness.gql<{ a: Shown; b: Shown }>('query($id: ID!) { a: operation(id: $id) { id status } b: node(id: $id) { ... on Operation { id status backup { status } } } }', { id });
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ a: { id, status: 'SUCCEEDED' }, b: { id, status: 'SUCCEEDED', backup: null } });
  });
});
