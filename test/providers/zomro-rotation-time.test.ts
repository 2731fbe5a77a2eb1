import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * A schedule's `rotation_time`: Zomro's schedule document shows "02:01"; BILLmanager keeps a
 * time and may show it with seconds or without a leading zero. Anything else read as midnight,
 * and the instance showed a next run at 00:00 that Zomro never named.
 */

const SCHEDULES = 'query($id: ID!) { instance(id: $id) { nativeId schedules { name cron weekdays time nextRunAt } } }';

interface Schedule {
  name: string;
  cron: string;
  weekdays: string[];
  time: string | null;
  nextRunAt: string | null;
}

describe("zomro: a schedule's rotation_time", () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let instanceId: string;
  let nativeId: string;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>('{ instances(first: 1) { edges { node { id nativeId } } } }');
    instanceId = list.data!.instances.edges[0]!.node.id;
    nativeId = list.data!.instances.edges[0]!.node.nativeId;
  });
  afterAll(() => harness.close());

  const listed = async (rotationTime: string): Promise<Schedule> => {
    const id = `time-${rotationTime}`;
    simulator.schedules.set(id, { id, instanceId: nativeId, name: id, rotation_days: 'Monday ', rotation_time: rotationTime, create_date: '2024-07-25' });
    try {
      const answer = await harness.gql<{ instance: { schedules: Schedule[] } }>(SCHEDULES, { id: instanceId });
      expect(answer.errors).toBeUndefined();
      return answer.data!.instance.schedules.find((schedule) => schedule.name === id)!;
    } finally {
      simulator.schedules.delete(id);
    }
  };

  it.each(['2:01', '02:01:00', '02:01'])('reads "%s" as 02:01', async (rotationTime) => {
    const schedule = await listed(rotationTime);
    expect(schedule).toMatchObject({ cron: '1 2 * * 1', weekdays: ['MONDAY'], time: '02:01' });
    expect(new Date(schedule.nextRunAt!).getUTCHours()).toBe(2);
  });

  it.each(['soon', '25:00', '', '2.01'])('shows "%s" as no time and no next run, not midnight', async (rotationTime) => {
    expect(await listed(rotationTime)).toMatchObject({ cron: '', time: null, nextRunAt: null });
  });
});
