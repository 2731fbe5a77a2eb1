import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZSTACK_SIM_STORAGE, type ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const INSTANCES = '{ instances(first: 100) { edges { node { id backups { id nativeId } } } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';

/**
 * The API docs: DeleteVmBackup and SyncVmBackup "On success ... return an empty JSON structure {}";
 * a job still running is polled as 202 `{}` (providers.md). ZStack's RestServer writes every answer
 * with Gson since November 2018, an empty one as `{}`; before, it wrote an empty body. The simulator
 * wrote only the empty body.
 */
describe('zstack: empty results are written {} as the API docs show', () => {
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
  afterAll(() => harness.close());

  it("answers a running job's poll and a finished delete's result with {} (it wrote an empty body)", async () => {
    simulator.asyncDelayMs = 60_000;
    const session = randomUUID().replace(/-/g, '');
    simulator.sessions.add(session);
    const accepted = await fetch(`${simulator.url}/zstack/v1/vm-backups/${vms[0]!.backups[0]!.nativeId}?deleteMode=Permissive`, { method: 'DELETE', headers: { authorization: `OAuth ${session}` } });
    expect(accepted.status).toBe(202);
    const { location } = (await accepted.json()) as { location: string };
    const running = await fetch(location);
    expect([running.status, await running.text()]).toEqual([202, '{}']);
    simulator.finishJobs();
    const done = await fetch(location);
    expect([done.status, await done.text()]).toEqual([200, '{}']);
  });

  it("answers a finished sync's result with {}, as SyncVmBackup's docs show (it wrote {\"success\": true}, a revert's result), and the gateway reads it SUCCEEDED", async () => {
    simulator.asyncDelayMs = 60_000;
    const session = randomUUID().replace(/-/g, '');
    simulator.sessions.add(session);
    const accepted = await fetch(`${simulator.url}/zstack/v1/vm-backups/imageStore/${ZSTACK_SIM_STORAGE}/actions`, { method: 'PUT', headers: { authorization: `OAuth ${session}`, 'content-type': 'application/json;charset=UTF-8' }, body: JSON.stringify({ syncVmBackup: {} }) });
    expect(accepted.status).toBe(202);
    const { location } = (await accepted.json()) as { location: string };
    simulator.finishJobs();
    const done = await fetch(location);
    expect([done.status, await done.text()]).toEqual([200, '{}']);

    const synced = await harness.gql<{ syncBackups: { operation: { id: string } } }>('mutation { syncBackups(input: { providerId: "zstack-test" }) { operation { id } } }');
    expect(synced.errors).toBeUndefined();
    simulator.finishJobs();
    const settled = await eventually(() => harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id: synced.data!.syncBackups.operation.id }), (read) => read.data?.operation.status !== 'RUNNING');
    expect(settled.data?.operation).toEqual({ status: 'SUCCEEDED', error: null });
  });

  for (const bare of [false, true]) {
    it(`the gateway reads a delete's running poll and its result ${bare ? 'as an empty body (a node before November 2018)' : 'as {}'}`, async () => {
      simulator.emptyResultsBare = bare;
      simulator.asyncDelayMs = 60_000;
      try {
        const backup = vms[bare ? 2 : 1]!.backups[0]!;
        const deleted = await harness.gql<{ deleteBackup: { operation: { id: string } } }>(DELETE, { input: { backupId: backup.id } });
        expect(deleted.errors).toBeUndefined();
        const id = deleted.data!.deleteBackup.operation.id;
        expect((await harness.gql<{ operation: { status: string } }>(OPERATION, { id })).data?.operation.status).toBe('RUNNING');
        simulator.finishJobs();
        const settled = await eventually(() => harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id }), (read) => read.data?.operation.status !== 'RUNNING');
        expect(settled.data?.operation).toEqual({ status: 'SUCCEEDED', error: null });
      } finally {
        simulator.emptyResultsBare = false;
      }
    });
  }
});
