import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * A schedule's `rotation_days` shown in the panel's language: Zomro's schedule document shows
 * English words ("Monday Tuesday "), and Zomro's panel speaks Russian too. BILLmanager sends a
 * coded value's stored form in `$orig` beside the word it shows (as a backup's `protected`). Read
 * from English words alone, a Russian panel's weekday schedule read as no day, shown as daily:
 * every instance it served looked backed up every night.
 */

const RUSSIAN = ['Воскресенье', 'Понедельник', 'Вторник', 'Среда', 'Четверг', 'Пятница', 'Суббота'];
const CREATE = 'mutation($input: CreateBackupScheduleInput!) { createBackupSchedule(input: $input) { schedule { id cron weekdays nextRunAt } } }';
const SCHEDULES = 'query($id: ID!) { instance(id: $id) { schedules { name cron weekdays nextRunAt } } }';

interface Schedule {
  name?: string;
  cron: string;
  weekdays: string[];
  nextRunAt: string | null;
}

describe.each([
  { language: 'Russian words beside the stored numbers', dayWords: { words: RUSSIAN, orig: true } },
  { language: 'Russian words alone', dayWords: { words: RUSSIAN, orig: false } },
  { language: 'English words (the document)', dayWords: null },
])("zomro: a schedule's rotation_days as $language", ({ dayWords }) => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let instanceId: string;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    simulator.dayWords = dayWords;
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(first: 1) { edges { node { id } } } }');
    instanceId = list.data!.instances.edges[0]!.node.id;
  });
  afterAll(() => harness.close());

  it('reads the days the schedule runs on, in the answer to its create and in the list', async () => {
    const created = await harness.gql<{ createBackupSchedule: { schedule: Schedule } }>(CREATE, { input: { instanceId, name: 'workdays', weekdays: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], time: '02:01' } });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createBackupSchedule.schedule).toMatchObject({ cron: '1 2 * * 1,2,3,4,5', weekdays: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] });
    const listed = await harness.gql<{ instance: { schedules: Schedule[] } }>(SCHEDULES, { id: instanceId });
    const workdays = listed.data!.instance.schedules.find((schedule) => schedule.name === 'workdays')!;
    expect(workdays).toMatchObject({ cron: '1 2 * * 1,2,3,4,5' });
    const weekday = new Date(workdays.nextRunAt!).getUTCDay();
    expect(weekday).toBeGreaterThanOrEqual(1);
    expect(weekday).toBeLessThanOrEqual(5);
  });

  it('a schedule whose days are named in words not known here runs nothing for the gateway (no next run), rather than daily', async () => {
    const id = 'unknown-days';
    simulator.schedules.set(id, { id, instanceId: (await nativeIdOf(harness, instanceId))!, name: 'montag', rotation_days: 'Montag Dienstag ', rotation_time: '03:00', create_date: '2024-07-25' });
    // The simulator's panel words stand in for its English ones and would leave these out: sent as they are.
    const saved = simulator.dayWords;
    simulator.dayWords = null;
    try {
      const listed = await harness.gql<{ instance: { schedules: Schedule[] } }>(SCHEDULES, { id: instanceId });
      expect(listed.data!.instance.schedules.find((schedule) => schedule.name === 'montag')).toMatchObject({ nextRunAt: null });
    } finally {
      simulator.dayWords = saved;
      simulator.schedules.delete(id);
    }
  });
});

async function nativeIdOf(harness: Harness, id: string): Promise<string | undefined> {
  const answer = await harness.gql<{ instance: { nativeId: string } }>('query($id: ID!) { instance(id: $id) { nativeId } }', { id });
  return answer.data?.instance.nativeId;
}
