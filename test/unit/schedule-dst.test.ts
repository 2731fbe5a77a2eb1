import { describe, expect, it } from 'vitest';
import { nextRunAt } from '../../src/domain/schedule.js';

const next = (cron: string, timezone: string, now: string) => nextRunAt(cron, timezone, new Date(now))?.toISOString();

/**
 * A run at a wall time DST skips or repeats must neither vanish (a daily
 * 02:30 on the spring-forward day) nor be promised twice (the autumn repeat).
 */
describe('nextRunAt across DST in the account time zone', () => {
  it('spring forward: 02:30 does not exist; the run is that day, an hour on (03:30 local), not the next day', () => {
    expect(next('30 2 * * *', 'Europe/Berlin', '2026-03-28T23:00:00Z')).toBe('2026-03-29T01:30:00.000Z');
    expect(next('30 2 * * *', 'America/New_York', '2026-03-08T05:00:00Z')).toBe('2026-03-08T07:30:00.000Z');
    // Weekly on that Sunday: this Sunday, not a week later.
    expect(next('30 2 * * 0', 'Europe/Berlin', '2026-03-28T23:00:00Z')).toBe('2026-03-29T01:30:00.000Z');
  });

  it('autumn: 02:30 shows twice; the run is at the first, and once it has passed the next is the following day', () => {
    expect(next('30 2 * * *', 'Europe/Berlin', '2026-10-24T23:00:00Z')).toBe('2026-10-25T00:30:00.000Z');
    expect(next('30 2 * * *', 'Europe/Berlin', '2026-10-25T00:45:00Z')).toBe('2026-10-26T01:30:00.000Z');
  });

  it('day of month and day of week both given: either one (cron\'s OR), the earlier first', () => {
    // Thursday 3 December 2026: the 5th (a Saturday) comes before Monday the 7th.
    expect(next('0 3 5 * 1', 'UTC', '2026-12-03T12:00:00Z')).toBe('2026-12-05T03:00:00.000Z');
    expect(next('0 3 13 * 5', 'UTC', '2026-12-03T12:00:00Z')).toBe('2026-12-04T03:00:00.000Z');
  });
});
