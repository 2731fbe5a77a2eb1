import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { errorCodes, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * Where OnApp deletes a schedule: OnApp's PHP wrapper has the schedule resource at
 * `settings/schedules` from API 4.2 on (`Schedule.php`, `Schedule/Disk.php`,
 * `Schedule/VirtualMachine.php`: "@alias /settings/schedules/:id.json"), at `schedules` only in its
 * older `Disk/Schedule.php` (2.0 to 4.1). The gateway sent `DELETE /schedules/:id.json` alone: a
 * current OnApp answered 404, and the user read NOT_FOUND "not found at the provider" for a
 * schedule that went on running. The simulator plays a current OnApp, and an older one behind
 * `legacyScheduleRoutes`.
 */

interface Listing {
  instances: { edges: Array<{ node: { nativeId: string; schedules: Array<{ id: string; nativeId: string }> } }> };
}

const LIST = '{ instances(first: 100) { edges { node { nativeId schedules { id nativeId } } } } }';
const DELETE_SCHEDULE = 'mutation($input: DeleteBackupScheduleInput!) { deleteBackupSchedule(input: $input) { deletedId instance { schedules { id } } } }';

describe('onapp: deleteBackupSchedule at the schedule resource OnApp has', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  const deletesSent = () => harness.simulator('onapp').server.log.filter((request) => request.method === 'DELETE').map((request) => request.rawPath);

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  const someSchedule = async (): Promise<{ id: string; nativeId: string }> => {
    const listed = await harness.gql<Listing>(LIST);
    expect(listed.errors).toBeUndefined();
    const schedule = listed.data!.instances.edges.flatMap((edge) => edge.node.schedules)[0];
    expect(schedule).toBeDefined();
    return schedule!;
  };

  it('deletes it on a current OnApp (API 4.2 on): DELETE /settings/schedules/:id.json, and it is gone', async () => {
    simulator.legacyScheduleRoutes = false;
    const schedule = await someSchedule();
    harness.resetUpstreamLogs();
    const answer = await harness.gql<{ deleteBackupSchedule: { deletedId: string; instance: { schedules: Array<{ id: string }> } } }>(DELETE_SCHEDULE, { input: { scheduleId: schedule.id } });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.deleteBackupSchedule.deletedId).toBe(schedule.id);
    expect(answer.data!.deleteBackupSchedule.instance.schedules.map((item) => item.id)).not.toContain(schedule.id);
    expect(deletesSent()).toEqual([`/settings/schedules/${schedule.nativeId}.json`]);
    expect(simulator.schedules.has(Number(schedule.nativeId))).toBe(false);
  });

  it('deletes it on an OnApp older than 4.2: the newer path answers 404, /schedules/:id.json then', async () => {
    simulator.legacyScheduleRoutes = true;
    try {
      const schedule = await someSchedule();
      harness.resetUpstreamLogs();
      const answer = await harness.gql<{ deleteBackupSchedule: { deletedId: string } }>(DELETE_SCHEDULE, { input: { scheduleId: schedule.id } });
      expect(answer.errors).toBeUndefined();
      expect(deletesSent()).toEqual([`/settings/schedules/${schedule.nativeId}.json`, `/schedules/${schedule.nativeId}.json`]);
      expect(simulator.schedules.has(Number(schedule.nativeId))).toBe(false);
    } finally {
      simulator.legacyScheduleRoutes = false;
    }
  });

  it('answers NOT_FOUND to a second delete of the same schedule, with no DELETE sent (guard)', async () => {
    const schedule = await someSchedule();
    const before = simulator.schedules.size;
    const server = harness.simulator('onapp').server;
    harness.resetUpstreamLogs();
    const answer = await harness.gql(DELETE_SCHEDULE, { input: { scheduleId: schedule.id } });
    expect(answer.errors).toBeUndefined();
    expect(simulator.schedules.size).toBe(before - 1);
    const again = await harness.gql(DELETE_SCHEDULE, { input: { scheduleId: schedule.id } });
    expect(errorCodes(again)).toEqual(['NOT_FOUND']);
    expect(server.log.filter((request) => request.method === 'DELETE')).toHaveLength(1);
  });
});
