import { describe, expect, it } from 'vitest';
import { nextWallRun } from '../../src/domain/cron-wall-runs.js';
import { nextRunAt, nextRunOf } from '../../src/domain/schedule.js';
import type { CronDialect } from '../../src/domain/types.js';
import { mapDefinition } from '../../src/providers/danube/mapper.js';

const next = (cron: string, now: string, dialect?: CronDialect) => nextRunAt(cron, 'UTC', new Date(now), dialect)?.toISOString() ?? null;

/**
 * Both day fields restricted: cron (Vixie, cronie) fires on either unless one
 * starts with `*`; Celery beat, Danube's scheduler, needs both.
 */
describe('cron dialects: how the two day fields combine', () => {
  it('celery: day of month and day of week must both match (Friday the 13th, not every Friday and every 13th)', () => {
    // Thursday 3 December 2026: the next Friday the 13th is in August 2027.
    expect(next('0 4 13 * 5', '2026-12-03T12:00:00Z', 'celery')).toBe('2027-08-13T04:00:00.000Z');
    expect(next('0 4 13 * 5', '2026-12-03T12:00:00Z', 'vixie')).toBe('2026-12-04T04:00:00.000Z');
    // 29 February on a Tuesday: 2028; on a Monday: 2044.
    expect(next('0 0 29 2 2', '2026-12-03T12:00:00Z', 'celery')).toBe('2028-02-29T00:00:00.000Z');
    expect(next('0 0 29 2 1', '2026-12-03T12:00:00Z', 'celery')).toBe('2044-02-29T00:00:00.000Z');
  });

  it('celery: a date that never comes never fires, whatever the weekday (cron\'s rule fires on the weekday)', () => {
    expect(next('0 4 31 4 1', '2026-12-03T12:00:00Z', 'celery')).toBeNull();
    expect(next('0 4 31 4 1', '2026-12-03T12:00:00Z', 'vixie')).toBe('2027-04-05T04:00:00.000Z');
    expect(next('0 4 30 2 *', '2026-12-03T12:00:00Z', 'celery')).toBeNull();
  });

  it('a day some named months lack still fires in the months that have it, and a list of days fires on the ones a month has', () => {
    // The 31st: not in April, June, September or November, but in December.
    expect(next('0 4 31 * *', '2026-12-03T12:00:00Z')).toBe('2026-12-31T04:00:00.000Z');
    // The 30th or 31st of February or April: neither month has both, April has the 30th.
    expect(next('0 4 30,31 2,4 *', '2026-12-03T12:00:00Z')).toBe('2027-04-30T04:00:00.000Z');
  });

  it('vixie: a day field starting with * makes both needed (cron-parser took either: every Monday too)', () => {
    // Odd days that are Mondays: 7 December 2026 is odd and a Monday.
    expect(next('0 4 */2 * 1', '2026-12-03T12:00:00Z', 'vixie')).toBe('2026-12-07T04:00:00.000Z');
    // From Monday 30 November (even): not that Monday, nor Tuesday the 1st (odd): the 7th.
    expect(next('0 4 */2 * 1', '2026-11-30T00:00:00Z', 'vixie')).toBe('2026-12-07T04:00:00.000Z');
    // The 1st on a Sunday, Tuesday, Thursday or Saturday: 1 April 2027 (a Thursday), not Thursday 3 December.
    expect(next('0 4 1 * */2', '2026-12-02T12:00:00Z', 'vixie')).toBe('2027-04-01T04:00:00.000Z');
  });

  it('one day field left as * reads the same in both dialects', () => {
    for (const dialect of ['vixie', 'celery'] as const) {
      expect(next('0 4 * * 5', '2026-12-03T12:00:00Z', dialect)).toBe('2026-12-04T04:00:00.000Z');
      expect(next('0 4 13 * *', '2026-12-03T12:00:00Z', dialect)).toBe('2026-12-13T04:00:00.000Z');
    }
  });

  it('Danube definitions are read as Celery reads them', () => {
    const definition = mapDefinition('d', { hostname: 'web01', name: 'monthly', disk_id: 1, schedule: '0 4 13 * 5', retention: 3 });
    expect(definition.schedule.cronDialect).toBe('celery');
    expect(nextRunOf(definition.schedule, new Date('2026-12-03T12:00:00Z'))?.toISOString()).toBe('2027-08-13T04:00:00.000Z');
  });

  it('nextWallRun works on the wall clock read as UTC, strictly after the time given', () => {
    const fields = { minute: '59', hour: '23', dayOfMonth: '31', month: '12', dayOfWeek: '*' };
    expect(nextWallRun(fields, Date.UTC(2026, 11, 31, 23, 58), 'vixie')).toBe(Date.UTC(2026, 11, 31, 23, 59));
    expect(nextWallRun(fields, Date.UTC(2026, 11, 31, 23, 59), 'vixie')).toBe(Date.UTC(2027, 11, 31, 23, 59));
  });
});

describe('schedules at the edges', () => {
  it('every minute, Dec 31 23:59, Feb 29, and the last year a date may name', () => {
    expect(next('* * * * *', '2026-12-31T23:59:30Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('59 23 31 12 *', '2026-12-31T23:59:00Z')).toBe('2027-12-31T23:59:00.000Z');
    expect(next('0 0 29 2 *', '2028-02-29T00:00:00Z')).toBe('2032-02-29T00:00:00.000Z');
    // Past 9999 is no date the gateway names: no next run rather than year 10000.
    expect(next('59 23 31 12 *', '9999-12-31T23:59:00Z')).toBeNull();
  });
});

describe('crons that never fire are said so at once', () => {
  it('a Celery cron whose named months lack its named days is null without looking through 400 years', () => {
    const fields = { minute: '0', hour: '4', dayOfMonth: '31', month: '4', dayOfWeek: '1' };
    let looks = 0;
    expect(nextWallRun(fields, Date.UTC(2026, 0, 1), 'celery', () => looks++)).toBeNull();
    // Some 16,000 day looks before (40-150 ms a read); none now. Counted, not timed: a time fails on a loaded machine.
    expect(looks).toBe(0);
  });

  it('a cron that fires looks through no more days than lie before its run', () => {
    let looks = 0;
    // 31 April never comes, but 31 May is the next 31st in a month named: 150 days on from 1 January.
    const run = nextWallRun({ minute: '0', hour: '4', dayOfMonth: '31', month: '4,5', dayOfWeek: '*' }, Date.UTC(2026, 0, 1), 'celery', () => looks++);
    expect(run).toBe(Date.UTC(2026, 4, 31, 4));
    // One look per month passed over (January to March), then a day each through April and May.
    expect(looks).toBeLessThanOrEqual(3 + 30 + 31);
  });
});
