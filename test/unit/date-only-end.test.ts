import { describe, expect, it } from 'vitest';
import { madeByMs } from '../../src/domain/backup-made-by.js';
import { endOfDateOnlyIn } from '../../src/domain/date-only-end.js';
import type { Backup } from '../../src/domain/types.js';

describe('endOfDateOnlyIn: the last moment of a date alone in the account zone', () => {
  it('is the next midnight there less a millisecond, on days of 24, 23 and 25 hours', () => {
    expect(endOfDateOnlyIn('2024-07-23', 'UTC')?.toISOString()).toBe('2024-07-23T23:59:59.999Z');
    expect(endOfDateOnlyIn('2024-07-23', 'Europe/Amsterdam')?.toISOString()).toBe('2024-07-23T21:59:59.999Z');
    expect(endOfDateOnlyIn('2024-03-31', 'Europe/Amsterdam')?.toISOString()).toBe('2024-03-31T21:59:59.999Z');
    expect(endOfDateOnlyIn('2024-10-27', 'Europe/Amsterdam')?.toISOString()).toBe('2024-10-27T22:59:59.999Z');
    expect(endOfDateOnlyIn(' 2024-12-31 ', 'America/New_York')?.toISOString()).toBe('2025-01-01T04:59:59.999Z');
  });

  it('answers a date asked again the same, as a Date of its own (the records it goes into are not shared)', () => {
    const first = endOfDateOnlyIn('2024-10-27', 'Europe/Amsterdam');
    const again = endOfDateOnlyIn('2024-10-27', 'Europe/Amsterdam');
    expect(again?.toISOString()).toBe('2024-10-27T22:59:59.999Z');
    expect(again).not.toBe(first);
    expect(endOfDateOnlyIn('2024-10-27', 'UTC')?.toISOString()).toBe('2024-10-27T23:59:59.999Z');
    expect(endOfDateOnlyIn('9999-12-31', 'UTC')).toBeNull();
    expect(endOfDateOnlyIn('9999-12-31', 'UTC')).toBeNull();
  });

  it('is null for a date with a time, a date out of range, and what is no text', () => {
    for (const value of ['2024-07-23 10:20:30', '2024-07-23T10:20:30Z', '2024-02-30', '9999-12-31', 'soon', '', 20240723, null]) expect(endOfDateOnlyIn(value, 'UTC')).toBeNull();
  });
});

describe('madeByMs: what a backup is aged by', () => {
  const at = (iso: string) => new Date(iso);
  const backup = (createdAt: Date | null, createdAtLatest?: Date) => ({ createdAt, createdAtLatest }) as Backup;
  it('the day end where there is one, else createdAt, else null', () => {
    expect(madeByMs(backup(at('2024-07-23T00:00:00Z'), at('2024-07-23T23:59:59.999Z')))).toBe(Date.parse('2024-07-23T23:59:59.999Z'));
    expect(madeByMs(backup(at('2024-07-23T10:00:00Z')))).toBe(Date.parse('2024-07-23T10:00:00Z'));
    expect(madeByMs(backup(null))).toBeNull();
  });
});
