import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZOMRO_SIM_TOKEN, type ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const SCHEDULES = '{ instances(first: 100) { edges { node { id nativeId backups { id nativeId } schedules { id name } } } } }';
const CREATE_SCHEDULE = 'mutation($input: CreateBackupScheduleInput!) { createBackupSchedule(input: $input) { schedule { id name } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';

interface Node {
  id: string;
  nativeId: string;
  backups: Array<{ id: string; nativeId: string }>;
  schedules: Array<{ id: string; name: string }>;
}

/**
 * Zomro's documents mark `sok=ok` ("Operation confirmation") Required for `image.delete` and for
 * `instances.fleio_bckps.schedule.edit`, as for a backup's create. The simulator asked it of a
 * backup's create alone: a schedule was made and a backup deleted without it, so a gateway that
 * left it out would have passed every test and done nothing at Zomro.
 */
describe('zomro: the operation confirmation the documents require', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let nodes: Node[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(SCHEDULES);
    expect(answer.errors).toBeUndefined();
    nodes = answer.data!.instances.edges.map((edge) => edge.node);
  });
  afterAll(() => harness.close());

  const post = async (fields: Record<string, string>) => {
    const answer = await fetch(simulator.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ auth: ZOMRO_SIM_TOKEN, out: 'json', ...fields }).toString() });
    expect(answer.status).toBe(200);
    return (await answer.json()) as { doc: Record<string, unknown> };
  };

  it('makes no schedule and deletes no backup without sok=ok', async () => {
    const node = nodes.find((item) => item.backups.length > 1)!;
    const schedulesBefore = simulator.schedules.size;
    await post({ func: 'instances.fleio_bckps.schedule.edit', plid: node.nativeId, name: 'unconfirmed', rotation_days: '1,2', rotation_time: '03:04' });
    expect(simulator.schedules.size).toBe(schedulesBefore);
    const backup = node.backups[0]!;
    await post({ func: 'image.delete', plid: node.nativeId, elid: backup.nativeId, elname: backup.nativeId });
    expect(simulator.backups.has(backup.nativeId)).toBe(true);
  });

  it('the gateway confirms both, and both are carried out', async () => {
    const node = nodes.find((item) => item.backups.length > 1)!;
    harness.resetUpstreamLogs();
    const created = await harness.gql<{ createBackupSchedule: { schedule: { id: string; name: string } } }>(CREATE_SCHEDULE, { input: { instanceId: node.id, name: 'confirmed', weekdays: ['MONDAY'], time: '03:04' } });
    expect(created.errors).toBeUndefined();
    expect(created.data?.createBackupSchedule.schedule.name).toBe('confirmed');
    const backup = node.backups[1]!;
    const deleted = await harness.gql<{ deleteBackup: { operation: { status: string } } }>(DELETE, { input: { backupId: backup.id } });
    expect(deleted.errors).toBeUndefined();
    expect(deleted.data?.deleteBackup.operation.status).toBe('SUCCEEDED');
    expect(simulator.backups.has(backup.nativeId)).toBe(false);
    const log = harness.simulator('zomro').server.log;
    for (const func of ['instances.fleio_bckps.schedule.edit', 'image.delete']) expect(log.filter((item) => item.form.func === func).map((item) => item.form.sok)).toEqual(['ok']);
  });
});
