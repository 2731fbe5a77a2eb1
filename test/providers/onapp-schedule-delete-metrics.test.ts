import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * Both of deleteBackupSchedule's DELETEs (the current path, and the older one after its 404) are
 * `schedules.delete` in the upstream metrics and log lines: an operator reading a dashboard by
 * operation sees every request the delete sent, the 404 among them.
 */
interface Listing {
  instances: { edges: Array<{ node: { schedules: Array<{ id: string }> } }> };
}
const LIST = '{ instances(first: 100) { edges { node { schedules { id } } } } }';
const DELETE_SCHEDULE = 'mutation($input: DeleteBackupScheduleInput!) { deleteBackupSchedule(input: $input) { deletedId } }';

describe('onapp: the schedule delete in the upstream metrics', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
  });
  afterAll(() => harness.close());

  it('counts both DELETEs of an older OnApp as schedules.delete', async () => {
    (harness.simulator('onapp').simulator as OnappSimulator).legacyScheduleRoutes = true;
    const listed = await harness.gql<Listing>(LIST);
    const schedule = listed.data!.instances.edges.flatMap((edge) => edge.node.schedules)[0]!;
    const answer = await harness.gql(DELETE_SCHEDULE, { input: { scheduleId: schedule.id } });
    expect(answer.errors).toBeUndefined();
    const text = await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
    const counts = [...text.matchAll(/^backup_graph_upstream_request_duration_seconds_count\{[^}]*operation="schedules\.delete",outcome="([^"]+)"\} (\d+)$/gm)].map((match) => `${match[1]} ${match[2]}`);
    expect(counts).toContain('ok 1');
    expect(counts.reduce((sum, each) => sum + Number(each.split(' ')[1]), 0)).toBe(2);
  });
});
