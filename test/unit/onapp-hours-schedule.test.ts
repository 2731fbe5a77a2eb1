import { describe, expect, it } from 'vitest';
import { describeCron, nextRunOf } from '../../src/domain/schedule.js';
import { isCachedRecord } from '../../src/gateway/cached-record-shape.js';
import { mapSchedule, scheduleCron, scheduleRepeat } from '../../src/providers/onapp/mapper.js';

/** OnApp's "hours" period (later versions): every N hours, not daily. */
const hourly = (duration: number | string, start_at = '2024-01-01T05:30:00Z') => ({ id: 7, action: 'autobackup', period: 'hours', duration, start_at });

describe('onapp schedules every N hours', () => {
  it('show a cron that fires every N hours, in phase with the start, when N divides a day', () => {
    expect(scheduleCron(hourly(1), 'UTC')).toBe('30 * * * *');
    expect(scheduleCron(hourly(6, '2024-01-01T00:15:00Z'), 'UTC')).toBe('15 */6 * * *');
    expect(scheduleCron(hourly(6), 'UTC')).toBe('30 5,11,17,23 * * *');
    expect(scheduleCron(hourly('12'), 'UTC')).toBe('30 5,17 * * *');
    expect(scheduleCron(hourly(24), 'UTC')).toBe('30 5 * * *');
    // In the account's zone (Amsterdam is UTC+1 in January).
    expect(scheduleCron(hourly(4), 'Europe/Amsterdam')).toBe('30 2,6,10,14,18,22 * * *');
    for (const n of [1, 6, 12]) expect(scheduleRepeat(hourly(n)), String(n)).toEqual({});
  });

  it('say so in the schedule: no single time of day, nextRunAt N hours on', () => {
    const schedule = mapSchedule('flex', '488', '11860', hourly(6), 'UTC');
    expect(schedule.name).toBe('autobackup every 6 hours');
    expect(describeCron(schedule.cron).time).toBeNull();
    expect(nextRunOf(schedule, new Date('2024-03-10T12:00:00Z'))?.toISOString()).toBe('2024-03-10T17:30:00.000Z');
  });

  it('a whole number of days is read as days', () => {
    expect(scheduleCron(hourly(48), 'UTC')).toBe('30 5 */2 * *');
    expect(scheduleRepeat(hourly(48))).toEqual({ repeat: { fromMs: Date.parse('2024-01-01T05:30:00Z'), every: 2, unit: 'days' } });
  });

  it('an N that does not divide a day repeats by elapsed hours from the start, the cron showing the minute', () => {
    const schedule = mapSchedule('flex', '488', '11860', hourly(5), 'Europe/Amsterdam');
    expect(schedule.cron).toBe('30 * * * *');
    expect(schedule.repeat).toEqual({ fromMs: Date.parse('2024-01-01T05:30:00Z'), every: 5, unit: 'hours' });
    // 05:30 + 5 h steps: ..., 2024-01-02 06:30 (day 1 ends at 01:30, 06:30 next), and across the spring DST change as elapsed time.
    expect(nextRunOf(schedule, new Date('2024-01-02T02:00:00Z'))?.toISOString()).toBe('2024-01-02T06:30:00.000Z');
    const start = Date.parse('2024-01-01T05:30:00Z');
    const after = new Date('2024-03-31T03:00:00Z');
    const next = nextRunOf(schedule, after)!.getTime();
    expect((next - start) % (5 * 3_600_000)).toBe(0);
    expect(next).toBeGreaterThan(after.getTime());
    expect(next - after.getTime()).toBeLessThanOrEqual(5 * 3_600_000);
    // Before its start: the start itself.
    expect(nextRunOf(schedule, new Date('2023-12-31T00:00:00Z'))?.toISOString()).toBe('2024-01-01T05:30:00.000Z');
    // A read cache holds it as it is.
    expect(isCachedRecord(JSON.parse(JSON.stringify(schedule)), 'schedules')).toBe(true);
  });
});
