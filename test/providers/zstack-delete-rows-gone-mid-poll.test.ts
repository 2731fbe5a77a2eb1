import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { wsClient } from '../helpers/ws.js';

const INSTANCES = '{ instances(first: 100) { edges { node { id backups { id } } } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status backup { status } } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status backup { status } } }';
const FOLLOW = 'subscription($id: ID!) { operationUpdated(id: $id) { status backup { status } } }';

interface Told {
  status: string;
  backup: { status: string } | null;
}

/**
 * A delete's poll reads ZStack's job, then (for `backup`) the VM's backup list. When the job ends
 * between the two reads, the job said RUNNING and the list no longer has the group: the answer
 * was RUNNING with `backup` null, which the schema promises never (DELETING until the delete
 * ends, null once it succeeded). The simulator ends every job as the list query arrives
 * (`beforeQuery`), so the rows go between the two reads every time.
 */
describe('zstack: a delete whose backup goes between the job read and the list read', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  let backupIds: string[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string; backups: Array<{ id: string }> } }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    backupIds = answer.data!.instances.edges.flatMap((edge) => edge.node.backups.map((backup) => backup.id));
  });
  afterAll(async () => {
    simulator.beforeQuery = null;
    await harness.close();
  });

  /** Deletes the `nth` backup with its job held, then lets every job end as the next list query arrives. */
  async function deleteEndingAtTheList(nth: number): Promise<string> {
    simulator.asyncDelayMs = 3_600_000;
    const deleted = await harness.gql<{ deleteBackup: { operation: Told & { id: string } } }>(DELETE, { input: { backupId: backupIds[nth] } });
    expect(deleted.errors).toBeUndefined();
    expect(deleted.data!.deleteBackup.operation).toMatchObject({ status: 'RUNNING', backup: { status: 'DELETING' } });
    simulator.beforeQuery = (route) => {
      if (route === 'volume-backups') simulator.finishJobs();
    };
    return deleted.data!.deleteBackup.operation.id;
  }

  it('operation(id:) reads SUCCEEDED with no backup, not RUNNING with none', async () => {
    const id = await deleteEndingAtTheList(0);
    const read = await harness.gql<{ operation: Told }>(OPERATION, { id });
    simulator.beforeQuery = null;
    expect(read.errors).toBeUndefined();
    expect(read.data!.operation).toEqual({ status: 'SUCCEEDED', backup: null });
  });

  it('a poll of status alone reads no backup list (a guard: the status is the job\'s, as before)', async () => {
    const id = await deleteEndingAtTheList(2);
    let lists = 0;
    simulator.beforeQuery = (route) => {
      if (route === 'volume-backups') lists += 1;
    };
    const read = await harness.gql<{ operation: { status: string } }>('query($id: ID!) { operation(id: $id) { status finishedAt } }', { id });
    simulator.beforeQuery = null;
    simulator.finishJobs();
    expect(read.data!.operation.status).toBe('RUNNING');
    expect(lists).toBe(0);
  });

  it('operationUpdated tells SUCCEEDED with no backup, not RUNNING with none', async () => {
    const id = await deleteEndingAtTheList(1);
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const told = await new Promise<Told[]>((resolve, reject) => {
        const updates: Told[] = [];
        client.subscribe<{ operationUpdated: Told }>(
          { query: FOLLOW, variables: { id } },
          {
            next: (value) => (value.errors ? reject(new Error(JSON.stringify(value.errors))) : updates.push(value.data!.operationUpdated)),
            error: (error: unknown) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
            complete: () => resolve(updates),
          },
        );
      });
      simulator.beforeQuery = null;
      // Told once: the poll loop's own SUCCEEDED, read after, is not told again.
      expect(told).toEqual([{ status: 'SUCCEEDED', backup: null }]);
    } finally {
      await client.dispose();
    }
  });
});
