import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const INSTANCES = '{ instances(first: 100) { edges { node { id backups { id status } } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';

interface Vm {
  id: string;
  backups: Array<{ id: string; status: string }>;
}

/**
 * esdc-ce writes Celery's own state in a task's envelope and tracks started tasks
 * (CELERY_TRACK_STARTED), so `GET /task/{id}/status` of a task a worker has taken answers
 * 201 `{"status": "STARTED", "result": null}` (providers.md: "201 PENDING/STARTED"), where the
 * API docs name PENDING alone. Both are a task still running. The gateway read STARTED as no
 * envelope: every poll of a running task was PROVIDER_ERROR INVALID_RESPONSE.
 */
describe('danube: a running task whose status says STARTED', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let vms: Vm[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    simulator.asyncDelayMs = 3_600_000;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Vm }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    vms = answer.data!.instances.edges.map((edge) => edge.node).filter((node) => node.backups.some((backup) => backup.status === 'AVAILABLE'));
    expect(vms.length).toBeGreaterThanOrEqual(3);
  });
  afterAll(() => harness.close());

  const poll = async (id: string) => {
    const read = await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id });
    return { errors: read.errors?.map((error) => error.extensions?.code), operation: read.data?.operation };
  };

  it.each(['STARTED', 'PENDING'] as const)("a create's poll reads RUNNING while its task says %s", async (word) => {
    simulator.runningTaskWord = word;
    const started = await harness.gql<{ createBackup: { operation: { id: string; status: string } } }>(CREATE, { input: { instanceId: vms[word === 'STARTED' ? 0 : 2]!.id, name: 'started-task', definitionName: 'daily' } });
    expect(started.errors).toBeUndefined();
    expect(started.data?.createBackup.operation.status).toBe('RUNNING');
    expect(await poll(started.data!.createBackup.operation.id)).toEqual({ errors: undefined, operation: { status: 'RUNNING', error: null } });
  });

  it("a delete's poll reads RUNNING while its task says STARTED", async () => {
    simulator.runningTaskWord = 'STARTED';
    const backup = vms[1]!.backups.find((item) => item.status === 'AVAILABLE')!;
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string } } }>(DELETE, { input: { backupId: backup.id } });
    expect(deleted.errors).toBeUndefined();
    expect(await poll(deleted.data!.deleteBackup.operation.id)).toEqual({ errors: undefined, operation: { status: 'RUNNING', error: null } });
  });
});
