import { describe, expect, it } from 'vitest';
import { nextRunAt } from '../../src/domain/schedule.js';

const next = (cron: string, timezone: string, now: string) => nextRunAt(cron, timezone, new Date(now))?.toISOString();

/**
 * A run at a wall time DST skips or repeats, as Vixie cron and cronie run it:
 * a job naming its minute and hour runs at the spring jump (not an hour late,
 * not the next day), a job with `*` in either runs only at times the clock
 * shows, and the autumn repeat runs a job once, at its first showing.
 */
describe('nextRunAt across DST in the account time zone', () => {
  it('spring forward: 02:30 does not exist; the run is at the jump (03:00 local), not at 03:30 nor the next day', () => {
    expect(next('30 2 * * *', 'Europe/Berlin', '2026-03-28T23:00:00Z')).toBe('2026-03-29T01:00:00.000Z');
    expect(next('30 2 * * *', 'America/New_York', '2026-03-08T05:00:00Z')).toBe('2026-03-08T07:00:00.000Z');
    // Weekly on that Sunday: this Sunday, not a week later.
    expect(next('30 2 * * 0', 'Europe/Berlin', '2026-03-28T23:00:00Z')).toBe('2026-03-29T01:00:00.000Z');
    // 01:30 ran; 02:30 is skipped by the jump and runs at it.
    expect(next('30 1,2 * * *', 'Europe/Berlin', '2026-03-29T00:45:00Z')).toBe('2026-03-29T01:00:00.000Z');
    // Once the jump has passed, the next is the following day's 02:30.
    expect(next('30 2 * * *', 'Europe/Berlin', '2026-03-29T01:00:00Z')).toBe('2026-03-30T00:30:00.000Z');
  });

  it('spring forward by half an hour (Lord Howe) and at midnight (Santiago): the run is at the jump that day', () => {
    // Lord Howe: 4 October 2026, 02:00 becomes 02:30 (UTC+10:30 to +11). cron-parser gave the 5th.
    expect(next('15 2 * * *', 'Australia/Lord_Howe', '2026-10-03T12:00:00Z')).toBe('2026-10-03T15:30:00.000Z');
    // Santiago: 6 September 2026, 00:00 becomes 01:00. cron-parser gave 01:30.
    expect(next('30 0 * * *', 'America/Santiago', '2026-09-05T12:00:00Z')).toBe('2026-09-06T04:00:00.000Z');
  });

  it('a job with * in its minute or hour runs only at times the clock shows: the skipped hour is not caught up', () => {
    expect(next('30 * * * *', 'Europe/Berlin', '2026-03-29T00:45:00Z')).toBe('2026-03-29T01:30:00.000Z');
    // Every quarter of 02:00-02:59: none that day (cron-parser gave 03:00).
    expect(next('*/15 2 * * *', 'Europe/Berlin', '2026-03-28T23:00:00Z')).toBe('2026-03-30T00:00:00.000Z');
    // An hour field that only starts with * (a step) is a wildcard too: 02:30 is not run at the jump, 04:30 is next.
    expect(next('30 */2 * * *', 'Europe/Berlin', '2026-03-28T23:45:00Z')).toBe('2026-03-29T02:30:00.000Z');
  });

  it('a zone that skips a whole day (Samoa, 30 December 2011): a wildcard job runs at the first minute the clock shows after it', () => {
    // 23:59 on the 29th at -10, then 00:00 on the 31st at +14: every wall minute of the 30th is skipped.
    // Each skipped minute cost one of the 200 wall-clock looks, so the job read as never running again.
    expect(next('* * * * *', 'Pacific/Apia', '2011-12-30T09:59:30Z')).toBe('2011-12-30T10:00:00.000Z');
    expect(next('*/5 * * * *', 'Pacific/Apia', '2011-12-30T09:57:00Z')).toBe('2011-12-30T10:00:00.000Z');
    expect(next('0 * * * *', 'Pacific/Apia', '2011-12-30T09:30:00Z')).toBe('2011-12-30T10:00:00.000Z');
  });
  it('autumn: 02:30 shows twice; the run is at the first, and once it has passed the next is the following day', () => {
    expect(next('30 2 * * *', 'Europe/Berlin', '2026-10-24T23:00:00Z')).toBe('2026-10-25T00:30:00.000Z');
    expect(next('30 2 * * *', 'Europe/Berlin', '2026-10-25T00:45:00Z')).toBe('2026-10-26T01:30:00.000Z');
    // In the second 02:00-02:59 (02:10 CET), 02:30 has run at its first showing: not again.
    expect(next('30 2 * * *', 'Europe/Berlin', '2026-10-25T01:10:00Z')).toBe('2026-10-26T01:30:00.000Z');
  });

  it('autumn, asked first during the second showing: a wall time still ahead on the clock but already run at its first showing is not answered (a next run in the past)', () => {
    // 02:10 CET; 02:40 showed first at 00:40Z (CEST). A cron not asked before, so nothing remembered answers for it.
    expect(next('40 2 * * *', 'Europe/Berlin', '2026-10-25T01:10:00Z')).toBe('2026-10-26T01:40:00.000Z');
  });

  it('a clock set back seven hours (Vostok, 31 January 1994): a wildcard job asked early in the second pass runs at the first minute after the repeat', () => {
    // 24:00 at +7 became 17:00 at +0: every wall minute 17:00-23:59 showed twice. Asked at 17:30 (second pass),
    // 17:31-23:59 have run at their first showing; the next minute the clock shows for the first time is 00:00.
    // Each of those 389 minutes cost one of 200 wall-clock looks, so the job read as never running again.
    expect(next('* * * * *', 'Antarctica/Vostok', '1994-01-31T17:30:00Z')).toBe('1994-02-01T00:00:00.000Z');
    expect(next('*/2 * * * *', 'Antarctica/Vostok', '1994-01-31T17:30:00Z')).toBe('1994-02-01T00:00:00.000Z');
    // A job at a fixed time in the repeat ran at its first showing too: the next is the following day's.
    expect(next('30 20 * * *', 'Antarctica/Vostok', '1994-01-31T17:30:00Z')).toBe('1994-02-01T20:30:00.000Z');
  });

  it('day of month and day of week both given (cron\'s rule): either one, the earlier first', () => {
    // Thursday 3 December 2026: the 5th (a Saturday) comes before Monday the 7th.
    expect(next('0 3 5 * 1', 'UTC', '2026-12-03T12:00:00Z')).toBe('2026-12-05T03:00:00.000Z');
    expect(next('0 3 13 * 5', 'UTC', '2026-12-03T12:00:00Z')).toBe('2026-12-04T03:00:00.000Z');
  });
});
