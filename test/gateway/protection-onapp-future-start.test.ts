import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * An OnApp schedule repeats every `duration` `period`s from its `start_at`
 * (mapper.ts scheduleCron): one whose start is still to come first runs
 * then. Every N > 1 periods already counted from the start; every single
 * period was read by its cron alone, so a schedule starting in three months
 * showed its next run tomorrow, and the dashboard promised a backup no one
 * would make.
 */

interface Node {
  nativeId: string;
  schedules: Array<{ nativeId: string; nextRunAt: string | null }>;
  protection: { status: string; reason: string; nextRunAt: string | null; scheduled: boolean | null };
}
const INSTANCES = '{ instances { edges { node { nativeId schedules { nativeId nextRunAt } protection { status reason nextRunAt scheduled } } } } }';
/** The seed's sixth VM: a backup an hour old and a daily schedule of its primary disk, PROTECTED. */
const VM = 485;
const DAY_MS = 86_400_000;

describe('onapp: a schedule whose start_at is still to come', () => {
  let harness: Harness;
  let simulator: OnappSimulator;

  const node = async (): Promise<Node> => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    return answer.data!.instances.edges.map((edge) => edge.node).find((item) => item.nativeId === String(VM))!;
  };
  const schedulesOfVm = () => {
    const disks = new Set(simulator.vms.get(VM)!.disks.map((disk) => disk.id));
    return [...simulator.schedules.values()].filter((schedule) => disks.has(schedule.diskId));
  };

  beforeAll(async () => {
    // A zone with DST: the cron is the start's wall time there, and the start is still its first run.
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ timezone: 'Europe/Amsterdam', cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  it.each([
    ['days', 1],
    ['weeks', 1],
    ['days', 2],
  ])('every %s (%i) from a start 100 days ahead: the schedule and the protection view name the start as the next run', async (period, duration) => {
    // A whole minute, 100 days ahead (across the spring or autumn clock change, whichever comes).
    const start = new Date(Math.ceil((Date.now() + 100 * DAY_MS) / 60_000) * 60_000).toISOString();
    const schedules = schedulesOfVm();
    expect(schedules.length).toBeGreaterThan(0);
    for (const schedule of schedules) Object.assign(schedule, { period, duration, start_at: start });

    const after = await node();
    expect(after.schedules.map((schedule) => schedule.nextRunAt)).toEqual(schedules.map(() => start));
    // Still scheduled: the backup is renewed, only not before the start.
    expect(after.protection).toEqual({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED', nextRunAt: start, scheduled: true });
  });
});
