import { describe, expect, it } from 'vitest';
import { cronFromWeekdays, describeCron, formatTime, nextRunAt, parseTime, validateCron, weekdayNumbers } from '../../src/domain/schedule.js';

const badInput = (message: string | RegExp) => expect.objectContaining({ code: 'BAD_USER_INPUT', message: typeof message === 'string' ? message : expect.stringMatching(message) });

describe('schedule times: the edges', () => {
  it('parseTime takes exactly HH:MM, nothing before or after', () => {
    expect(parseTime('00:00')).toEqual({ hour: 0, minute: 0 });
    expect(parseTime('23:59')).toEqual({ hour: 23, minute: 59 });
    expect(parseTime('19:05')).toEqual({ hour: 19, minute: 5 });
    for (const time of ['x07:00', '07:00x', '107:00', '07:000', ' 07:00']) expect(() => parseTime(time), time).toThrow(badInput(/^time must be "HH:MM"/));
  });

  it('parseTime quotes at most 20 characters of what it refuses', () => {
    expect(() => parseTime('noon')).toThrow(badInput('time must be "HH:MM" (24 h), got "noon"'));
    expect(() => parseTime(`${'9'.repeat(20)}xyz`)).toThrow(badInput(`time must be "HH:MM" (24 h), got "${'9'.repeat(20)}"`));
  });

  it('formatTime pads to two digits', () => {
    expect([formatTime(3, 5), formatTime(23, 59), formatTime(0, 0)]).toEqual(['03:05', '23:59', '00:00']);
  });

  it('weekdays become cron day numbers, Sunday first, sorted and de-duplicated whatever the order given', () => {
    expect(weekdayNumbers(['SATURDAY', 'SUNDAY', 'WEDNESDAY', 'SUNDAY'])).toEqual([0, 3, 6]);
    expect(cronFromWeekdays(['FRIDAY', 'MONDAY'], '07:30')).toBe('30 7 * * 1,5');
    expect(() => cronFromWeekdays([], '03:00')).toThrow(badInput('weekdays must name at least one day'));
  });

  it('validateCron refuses more than 200 characters or no text, with BAD_USER_INPUT', () => {
    expect(validateCron(`0 3 * * *${' '.repeat(191)}`)).toBe('0 3 * * *');
    expect(() => validateCron(`0 3 * * *${' '.repeat(192)}`)).toThrow(badInput('cron is too long'));
    expect(() => validateCron(42 as unknown as string)).toThrow(badInput('cron is too long'));
  });

  it('validateCron says how many fields it got, and why a cron does not parse (briefly)', () => {
    expect(() => validateCron('0 3 * *')).toThrow(badInput('cron must have five fields (minute hour day month weekday), got 4'));
    expect(() => validateCron('99 3 * * *')).toThrow(badInput('invalid cron expression: Constraint error, got value 99 expected range 0-59'));
  });

  it('describeCron lists days Sunday first, Sunday given as 7 included, and a time only when once a day', () => {
    expect(describeCron('0 1 * * 6,7').weekdays).toEqual(['SUNDAY', 'SATURDAY']);
    expect(describeCron('0 1 * * 5,3').weekdays).toEqual(['WEDNESDAY', 'FRIDAY']);
    expect(describeCron('0,30 3 * * *')).toEqual({ weekdays: ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'], time: null });
    expect(describeCron('15 3,4 * * 1').time).toBeNull();
    expect(describeCron('15 3 * * 1').time).toBe('03:15');
  });

  it('nextRunAt gives null each time it is asked about a cron that never parses', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    expect(nextRunAt('61 * * * *', 'UTC', now)).toBeNull();
    expect(nextRunAt('61 * * * *', 'UTC', now)).toBeNull();
    expect(nextRunAt('0 3 * * *', 'Not/AZone', now)).toBeNull();
    expect(nextRunAt('0 3 * * *', 'Not/AZone', now)).toBeNull();
  });

  it('nextRunAt defaults now to the present', () => {
    const at = nextRunAt('* * * * *', 'UTC');
    expect(at).toBeInstanceOf(Date);
    expect((at as Date).getTime()).toBeGreaterThan(Date.now() - 1);
  });
});
