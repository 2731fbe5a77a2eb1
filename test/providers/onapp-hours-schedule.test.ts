import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/** OnApp's "hours" period, as later versions list it: every N hours, where it was shown as a daily cron. */

const SCHEDULES = 'query($id: ID!) { instance(id: $id) { schedules { nativeId name cron time nextRunAt } } }';

describe('onapp schedule every N hours', () => {
  let harness: Harness;
  let simulator: OnappSimulator;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ timezone: 'UTC', cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  it('is shown as a cron firing every N hours, with nextRunAt at most N hours away', async () => {
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string; schedules: Array<{ nativeId: string }> } }> } }>('{ instances { edges { node { id schedules { nativeId } } } } }');
    const node = listed.data!.instances.edges.find((edge) => edge.node.schedules.length > 0)!.node;
    const record = simulator.schedules.get(Number(node.schedules[0]!.nativeId))!;
    record.period = 'hours';
    record.duration = 6;
    record.start_at = '2024-01-01T05:30:00Z';
    const answer = await harness.gql<{ instance: { schedules: Array<{ nativeId: string; name: string; cron: string; time: string | null; nextRunAt: string }> } }>(SCHEDULES, { id: node.id });
    expect(answer.errors).toBeUndefined();
    const schedule = answer.data!.instance.schedules.find((item) => item.nativeId === String(record.id))!;
    expect(schedule).toMatchObject({ name: 'autobackup every 6 hours', cron: '30 5,11,17,23 * * *', time: null });
    const next = Date.parse(schedule.nextRunAt);
    expect(next - Date.now()).toBeLessThanOrEqual(6 * 3_600_000);
    expect([5, 11, 17, 23]).toContain(new Date(next).getUTCHours());
  });
});
