import { describe, expect, it } from 'vitest';
import { parseDateIn, parseUtcDate } from '../../src/domain/provider-dates.js';
import { mapBackup } from '../../src/providers/zomro/mapper.js';

const iso = (value: unknown, timezone: string) => parseDateIn(value, timezone)?.toISOString() ?? null;

describe('provider dates without a zone, on the account wall clock', () => {
  it('a date and time without a zone is the account zone\'s wall time; a date alone the start of that day there', () => {
    expect(iso('2024-07-23 14:05:00', 'Europe/Amsterdam')).toBe('2024-07-23T12:05:00.000Z');
    expect(iso('2024-07-23', 'Europe/Amsterdam')).toBe('2024-07-22T22:00:00.000Z');
    expect(iso('2024-01-23T14:05:00.250', 'Pacific/Kiritimati')).toBe('2024-01-23T00:05:00.250Z');
    expect(iso('2024-07-23 14:05:00', 'America/New_York')).toBe('2024-07-23T18:05:00.000Z');
  });

  it('a date naming its zone keeps it; UTC reads as parseUtcDate; what is no date stays none', () => {
    for (const value of ['2024-07-23T14:05:00Z', '2024-07-23T14:05:00z', '2024-07-23T14:05:00+03:00', '2024-07-23 14:05:00-0530']) {
      expect(iso(value, 'Europe/Amsterdam'), value).toBe(parseUtcDate(value)?.toISOString());
    }
    // Padded with spaces, as parseUtcDate takes it: the zone is still the one written, not the account's.
    expect(iso(' 2024-07-23T14:05:00+03:00 ', 'Europe/Amsterdam')).toBe('2024-07-23T11:05:00.000Z');
    expect(iso('\t2024-07-23T14:05:00Z\n', 'Europe/Amsterdam')).toBe('2024-07-23T14:05:00.000Z');
    expect(iso('2024-07-23', 'UTC')).toBe('2024-07-23T00:00:00.000Z');
    for (const value of ['2024-02-30', 'yesterday', 42, null, undefined]) expect(iso(value, 'Europe/Amsterdam')).toBeNull();
  });

  it('Zomro backups are dated on the account clock', () => {
    const row = { id: '1', name: 'b', fleio_status: 'Active', createdate: '2024-07-23 00:30:00' };
    expect(mapBackup('z', '9', row, 'Europe/Amsterdam').createdAt?.toISOString()).toBe('2024-07-22T22:30:00.000Z');
    expect(mapBackup('z', '9', row).createdAt?.toISOString()).toBe('2024-07-23T00:30:00.000Z');
  });
});
