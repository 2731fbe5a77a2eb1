import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * Danube runs its backup definitions on Celery beat, whose crontab needs the
 * day of the month and the day of the week both to match. A definition
 * restricting both runs on the days both name, and on none when they never
 * meet: cron's either-day rule promised runs that never come.
 */

interface Node {
  nativeId: string;
  definitions: Array<{ name: string; schedule: { cron: string; nextRunAt: string | null } }>;
  protection: { status: string; reason: string; nextRunAt: string | null; scheduled: boolean | null };
}
const INSTANCES = '{ instances { edges { node { nativeId definitions { name schedule { cron nextRunAt } } protection { status reason nextRunAt scheduled } } } } }';

/** The next Friday the 13th at 04:00 UTC after `now`. */
function nextFriday13th(now: number): string {
  for (let month = 0; ; month++) {
    const start = new Date(now);
    const candidate = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + month, 13, 4);
    if (candidate > now && new Date(candidate).getUTCDay() === 5) return new Date(candidate).toISOString();
  }
}

describe('danube definitions restricting both day fields, as Celery runs them', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;

  const web06 = async (): Promise<Node> => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    return answer.data!.instances.edges.map((edge) => edge.node).find((node) => node.nativeId === 'web06.example.com')!;
  };
  const setDaily = (schedule: string | null) => {
    const daily = simulator.definitions.find((definition) => definition.hostname === 'web06.example.com' && definition.name === 'daily')!;
    daily.schedule = schedule;
  };

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
  });
  afterAll(() => harness.close());

  it('a definition on the 31st of April that is a Monday never runs: a recent backup beside it only is STALE, and it has no next run', async () => {
    // web06 has a backup an hour old and its daily definition: PROTECTED.
    expect((await web06()).protection).toMatchObject({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED' });
    setDaily('0 4 31 4 1');
    const node = await web06();
    expect(node.definitions.find((definition) => definition.name === 'daily')!.schedule).toEqual({ cron: '0 4 31 4 1', nextRunAt: null });
    expect(node.protection).toEqual({ status: 'STALE', reason: 'RECENT_BACKUP_NOTHING_SCHEDULED', nextRunAt: null, scheduled: false });
  });

  it('a definition on Friday the 13th runs on the next Friday the 13th, not the next Friday nor the next 13th', async () => {
    setDaily('0 4 13 * 5');
    const expected = nextFriday13th(Date.now());
    const node = await web06();
    expect(node.definitions.find((definition) => definition.name === 'daily')!.schedule.nextRunAt).toBe(expected);
    expect(node.protection).toMatchObject({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED', nextRunAt: expected });
  });

  it('a definition Danube sends without a schedule (no Celery task runs it) shows none and schedules nothing', async () => {
    setDaily(null);
    const node = await web06();
    expect(node.definitions.find((definition) => definition.name === 'daily')!.schedule).toEqual({ cron: '', nextRunAt: null });
    expect(node.protection).toEqual({ status: 'STALE', reason: 'RECENT_BACKUP_NOTHING_SCHEDULED', nextRunAt: null, scheduled: false });
  });
});
