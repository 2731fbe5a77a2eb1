import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { nextRunComputations } from '../../src/domain/schedule.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * A VM with hundreds of schedules, at the edges of the clock (every day at
 * 00:00 and 23:59, one day a week, unreadable days and times): the protection
 * view never fails, names the earliest next run, and computes each distinct
 * cron once (nextRunComputations, src/domain/schedule.ts) where a 15 s bound
 * on the request stood.
 */

interface Node {
  id: string;
  nativeId: string;
  schedules: Array<{ nextRunAt: string | null }>;
  protection: { status: string; nextRunAt: string | null; scheduled: boolean | null; error: { code: string } | null };
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

describe('protection of a VM with hundreds of schedules', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ cacheTtlMs: 0, timezone: 'Australia/Lord_Howe' }) });
  });
  afterAll(() => harness.close());

  it('computes each distinct cron once for the schedules and the protection view, with the earliest next run', async () => {
    const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    const listed = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>('{ instances { edges { node { id nativeId schedules { nextRunAt } protection { status nextRunAt scheduled error { code } } } } } }');
    const target = listed.data!.instances.edges[2]!.node;
    for (let n = 0; n < 400; n++) {
      const days = n % 5 === 0 ? DAYS.join(' ') : n % 7 === 0 ? 'Someday ' : `${DAYS[n % 7]} `;
      const time = n % 11 === 0 ? '23:59' : n % 13 === 0 ? '24:61' : `${String(n % 24).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}`;
      simulator.schedules.set(`8${n}`, { id: `8${n}`, instanceId: target.nativeId, name: `s-${n}`, rotation_days: days, rotation_time: time, create_date: '2024-07-25' });
    }
    const computedBefore = nextRunComputations();
    const answer = await harness.gql<{ instance: Node }>('query($id: ID!) { instance(id: $id) { id nativeId schedules { nextRunAt } protection { status nextRunAt scheduled error { code } } } }', { id: target.id });
    const computed = nextRunComputations() - computedBefore;
    expect(answer.errors).toBeUndefined();
    const { schedules, protection } = answer.data!.instance;
    expect(schedules.length).toBeGreaterThanOrEqual(400);
    expect(protection.error).toBeNull();
    expect(protection.scheduled).toBe(true);
    const runs = schedules.map((schedule) => schedule.nextRunAt).filter((at): at is string => at !== null).sort();
    // A schedule whose days name none the gateway can read ("Someday"), or whose time is no time of day ("24:61"),
    // has no next run (not a made-up midnight); every other one has.
    const unreadableDays = (n: number): boolean => n % 5 !== 0 && n % 7 === 0;
    const unreadableTime = (n: number): boolean => n % 11 !== 0 && n % 13 === 0;
    const unreadable = Array.from({ length: 400 }, (_, n) => n).filter((n) => unreadableDays(n) || unreadableTime(n)).length;
    expect(runs.length).toBe(schedules.length - unreadable);
    // Work counted, not timed: each distinct cron (its days and time) is computed once for the query, not once for
    // `schedules { nextRunAt }` and again for `protection` (they read one clock, so the memo holds). Fewer when
    // another file in this worker left a run of the same cron and zone still valid; twice as many with the memo broken.
    const distinctCrons = new Set(
      Array.from({ length: 400 }, (_, n) => n)
        .filter((n) => !unreadableDays(n) && !unreadableTime(n))
        .map((n) => `${n % 5 === 0 ? 'every day' : n % 7}|${n % 11 === 0 ? '23:59' : `${n % 24}:${n % 60}`}`),
    ).size;
    expect(distinctCrons).toBe(260);
    expect(computed).toBeLessThanOrEqual(distinctCrons);
    expect(computed).toBeGreaterThan(distinctCrons / 2);
    expect(protection.nextRunAt).toBe(runs[0]);
    expect(Date.parse(runs[0]!)).toBeGreaterThan(Date.now() - 1_000);
  });
});
