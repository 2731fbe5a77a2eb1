import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * A schedule's `period`: "days/weeks/months/years" (providers.md; `hours` on later versions),
 * compared exactly. "Weeks" fell to the default and was shown as a daily cron, and a word the
 * gateway does not know ("fortnights") as every N days: both made an instance look backed up
 * more often than it is. Now the period is read lower-cased, and a word not known runs nothing
 * for the gateway (no next run), as a disabled schedule.
 */

const SCHEDULES = 'query($id: ID!) { instance(id: $id) { schedules { nativeId name cron nextRunAt raw } } }';

interface Schedule {
  nativeId: string;
  name: string;
  cron: string;
  nextRunAt: string | null;
  raw: Record<string, unknown>;
}

describe('onapp schedule period words', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  let nodeId: string;
  let scheduleId: number;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ timezone: 'UTC', cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string; schedules: Array<{ nativeId: string }> } }> } }>('{ instances { edges { node { id schedules { nativeId } } } } }');
    const node = listed.data!.instances.edges.find((edge) => edge.node.schedules.length > 0)!.node;
    nodeId = node.id;
    scheduleId = Number(node.schedules[0]!.nativeId);
  });
  afterAll(() => harness.close());

  const scheduleAs = async (period: string): Promise<Schedule> => {
    const record = simulator.schedules.get(scheduleId)!;
    record.period = period;
    record.duration = 1;
    record.start_at = '2024-01-03T04:15:00Z';
    const answer = await harness.gql<{ instance: { schedules: Schedule[] } }>(SCHEDULES, { id: nodeId });
    expect(answer.errors).toBeUndefined();
    return answer.data!.instance.schedules.find((item) => item.nativeId === String(scheduleId))!;
  };

  it('reads a capitalised period as its word: "Weeks" is weekly on the start\'s weekday, not daily', async () => {
    const schedule = await scheduleAs('Weeks');
    // 2024-01-03 was a Wednesday.
    expect(schedule).toMatchObject({ cron: '15 4 * * 3', raw: { period: 'Weeks' } });
    expect(new Date(schedule.nextRunAt!).getUTCDay()).toBe(3);
  });

  it('a period word not known has no next run, rather than reading daily', async () => {
    const schedule = await scheduleAs('fortnights');
    expect(schedule).toMatchObject({ nextRunAt: null, raw: { period: 'fortnights' } });
  });

  it('the documented words are read as before', async () => {
    expect(await scheduleAs('weeks')).toMatchObject({ cron: '15 4 * * 3' });
    const daily = await scheduleAs('days');
    expect(daily.cron).toBe('15 4 * * *');
    expect(daily.nextRunAt).not.toBeNull();
  });
});
