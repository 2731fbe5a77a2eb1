import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { errorCodes, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * deleteBackupSchedule asks OnApp's older schedule path (`/schedules/:id.json`) only after a 404
 * at the current one (`/settings/schedules/:id.json`). Any other failure there is the answer: an
 * OnApp that failed the delete is not an older OnApp, and a second DELETE elsewhere would hide
 * its failure behind the older path's 404 (NOT_FOUND, the schedule still running).
 */
interface Listing {
  instances: { edges: Array<{ node: { schedules: Array<{ id: string; nativeId: string }> } }> };
}
const LIST = '{ instances(first: 100) { edges { node { schedules { id nativeId } } } } }';
const DELETE_SCHEDULE = 'mutation($input: DeleteBackupScheduleInput!) { deleteBackupSchedule(input: $input) { deletedId } }';

describe('onapp: a schedule delete the current path fails, not 404', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
  });
  afterAll(() => harness.close());

  it('is that failure, with no DELETE sent to the older path', async () => {
    const server = harness.simulator('onapp').server;
    const simulator = harness.simulator('onapp').simulator as OnappSimulator;
    const listed = await harness.gql<Listing>(LIST);
    const schedule = listed.data!.instances.edges.flatMap((edge) => edge.node.schedules)[0]!;
    await server.setFault({ mode: 'http-500', onlyRequest: `DELETE /settings/schedules/${schedule.nativeId}.json` });
    try {
      harness.resetUpstreamLogs();
      const answer = await harness.gql(DELETE_SCHEDULE, { input: { scheduleId: schedule.id } });
      expect(errorCodes(answer)).toEqual(['PROVIDER_UNAVAILABLE']);
      const deletes = server.log.filter((request) => request.method === 'DELETE').map((request) => request.rawPath);
      expect(deletes.length).toBeGreaterThan(0);
      expect(deletes.every((path) => path === `/settings/schedules/${schedule.nativeId}.json`)).toBe(true);
      expect(simulator.schedules.has(Number(schedule.nativeId))).toBe(true);
    } finally {
      await server.clearFault();
    }
  });
});
