import { describe, expect, it } from 'vitest';
import { wallTimeRun } from '../../src/domain/zoned-wall-time.js';

const run = (date: string, time: string, timezone: string) => {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const found = wallTimeRun({ year, month, day, hour, minute, second: 0 }, timezone);
  return found && { at: found.at.toISOString(), skipped: found.skipped };
};

describe('a wall time the clock skipped runs at the jump, marked skipped', () => {
  it('in an hour the spring change skips (Berlin, 02:30 on 31 March 2024)', () => {
    expect(run('2024-03-31', '02:30', 'Europe/Berlin')).toEqual({ at: '2024-03-31T01:00:00.000Z', skipped: true });
    // Either side of the gap, shown once: not skipped.
    expect(run('2024-03-31', '01:30', 'Europe/Berlin')).toEqual({ at: '2024-03-31T00:30:00.000Z', skipped: false });
    expect(run('2024-03-31', '03:30', 'Europe/Berlin')).toEqual({ at: '2024-03-31T01:30:00.000Z', skipped: false });
  });

  it('on a day the clock skipped whole (Samoa, 30 December 2011), whose hour showed the day before', () => {
    expect(run('2011-12-30', '10:00', 'Pacific/Apia')).toEqual({ at: '2011-12-30T10:00:00.000Z', skipped: true });
  });
});
