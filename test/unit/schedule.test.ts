import { describe, expect, it } from 'vitest';
import { cronFromWeekdays, describeCron, nextRunAt, nextRunOf, parseTime, validateCron } from '../../src/domain/schedule.js';

describe('schedule times', () => {
  it('reads one cron in each zone it is asked in, even when both are asked at the same moment', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const cron = '0 3 * * *';
    // 03:00 in Amsterdam (UTC+2 in June) is 01:00 UTC; in Tokyo (UTC+9) it is 18:00 UTC the day before.
    expect(nextRunAt(cron, 'Europe/Amsterdam', now)?.toISOString()).toBe('2026-06-01T01:00:00.000Z');
    expect(nextRunAt(cron, 'Asia/Tokyo', now)?.toISOString()).toBe('2026-06-01T18:00:00.000Z');
    expect(nextRunAt(cron, 'UTC', now)?.toISOString()).toBe('2026-06-01T03:00:00.000Z');
    // Asked again: the remembered times stay per zone.
    expect(nextRunAt(cron, 'Europe/Amsterdam', now)?.toISOString()).toBe('2026-06-01T01:00:00.000Z');
  });

  it('moves on once the remembered fire time has passed', () => {
    const cron = '30 4 * * *';
    expect(nextRunAt(cron, 'UTC', new Date('2026-06-01T00:00:00Z'))?.toISOString()).toBe('2026-06-01T04:30:00.000Z');
    expect(nextRunAt(cron, 'UTC', new Date('2026-06-01T04:30:00Z'))?.toISOString()).toBe('2026-06-02T04:30:00.000Z');
    // An earlier `now` than the one remembered is computed afresh, not answered from memory.
    expect(nextRunAt(cron, 'UTC', new Date('2026-05-20T05:00:00Z'))?.toISOString()).toBe('2026-05-21T04:30:00.000Z');
  });

  it("answers one fire time with one Date object, whenever it is asked before it (the DateTime scalar remembers each Date's text)", () => {
    const schedule = { cron: '15 2 * * *', timezone: 'UTC', enabled: true, cronDialect: 'vixie' as const };
    const first = nextRunOf(schedule, new Date('2026-06-01T00:00:00Z'));
    expect(first?.toISOString()).toBe('2026-06-01T02:15:00.000Z');
    expect(nextRunOf(schedule, new Date('2026-06-01T01:00:00Z'))).toBe(first);
    expect(nextRunOf(schedule, new Date('2026-06-01T02:15:00Z'))?.toISOString()).toBe('2026-06-02T02:15:00.000Z');
    // A start with seconds shifts the cron's minute: its own Date, the same time as before.
    expect(nextRunOf({ ...schedule, startsAtMs: Date.parse('2026-01-01T00:00:30Z') }, new Date('2026-06-01T00:00:00Z'))?.toISOString()).toBe('2026-06-01T02:15:30.000Z');
  });

  it('gives null, not a throw, for a cron that never parses', () => {
    expect(nextRunAt('not a cron', 'UTC', new Date('2026-06-01T00:00:00Z'))).toBeNull();
  });

  it('turns weekdays and a time into a cron and back', () => {
    expect(cronFromWeekdays(['MONDAY', 'FRIDAY', 'MONDAY'], '03:05')).toBe('5 3 * * 1,5');
    expect(cronFromWeekdays(['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'], '23:59')).toBe('59 23 * * *');
    expect(describeCron('5 3 * * 1,5')).toEqual({ weekdays: ['MONDAY', 'FRIDAY'], time: '03:05' });
    expect(describeCron('0 */6 * * *')).toMatchObject({ time: null });
    expect(describeCron('0 1 * * 7').weekdays).toEqual(['SUNDAY']);
  });

  it('refuses bad times and crons with BAD_USER_INPUT', () => {
    for (const time of ['24:00', '7:00', '07:60', '']) expect(() => parseTime(time)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(() => cronFromWeekdays([], '03:00')).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    for (const cron of ['* * * *', '0 0 * * * *', '61 * * * *', 'x'.repeat(300)]) expect(() => validateCron(cron)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    expect(validateCron('  0   3 * * *  ')).toBe('0 3 * * *');
  });
});

describe('cron syntax: what the providers read, nothing of cron-parser\'s own', () => {
  it('takes numbers, names, *, ranges, steps and lists', () => {
    for (const cron of ['*/5 * * * *', '0 4 * * 1-5', '0 0 1,15 * *', '30 2 * JAN-MAR MON,WED', '0 */6 * * sun', '5 4 1-31/2 * *']) {
      expect(validateCron(cron), cron).toBe(cron);
    }
  });

  it('refuses L, W, #, ? and H, naming the field', () => {
    for (const [cron, field] of [['0 4 * * 5L', '5L'], ['0 4 15W * *', '15W'], ['0 4 * * 5#3', '5#3'], ['0 4 ? * *', '?'], ['H 4 * * *', 'H']] as const) {
      expect(() => validateCron(cron), cron).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', message: `invalid cron expression: ${JSON.stringify(field)} is not a number, a name, *, a range, a step or a list of them` }));
    }
  });

  it('names at most 20 characters of the field it refuses', () => {
    expect(() => validateCron(`0 4 * * ${'x'.repeat(50)}`)).toThrow(expect.objectContaining({ message: expect.stringContaining(JSON.stringify('x'.repeat(20))) }));
  });
});
