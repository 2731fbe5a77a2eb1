import { describe, expect, it } from 'vitest';
import { isAnsweredRecord, isCachedRecord } from '../../src/gateway/cached-record-shape.js';

const schedule = { providerId: 'onapp-1', nativeId: '9', instanceNativeId: '3', keyExtra: [], name: 'daily', cron: '30 3 */2 * *', timezone: 'UTC', enabled: true, cronDialect: 'vixie', createdAt: null, raw: {} };

describe('a cached schedule: the fields only some providers set', () => {
  it('may leave out repeat and diskId, or carry them well formed', () => {
    expect(isCachedRecord(schedule, 'schedules')).toBe(true);
    expect(isCachedRecord({ ...schedule, diskId: '12', repeat: { fromMs: 1_700_000_000_000, every: 2, unit: 'days' } }, 'schedules')).toBe(true);
  });

  it('is no cached schedule with a repeat or a disk of another shape', () => {
    for (const repeat of [null, {}, { fromMs: 1, every: 0, unit: 'days' }, { fromMs: 1, every: 1.5, unit: 'days' }, { fromMs: 1, every: 2, unit: 'minutes' }, { fromMs: 'x', every: 2, unit: 'weeks' }]) {
      expect(isCachedRecord({ ...schedule, repeat }, 'schedules'), JSON.stringify(repeat)).toBe(false);
    }
    expect(isCachedRecord({ ...schedule, diskId: 12 }, 'schedules')).toBe(false);
  });
});

describe('a schedule the version before cached: no enabled, no cronDialect', () => {
  const { enabled: _enabled, cronDialect: _dialect, ...older } = schedule;

  it('is no cached schedule: read as running and by cron\'s day rule, a disabled OnApp schedule or a Celery cron was misread', () => {
    expect(isCachedRecord(older, 'schedules')).toBe(false);
    expect(isCachedRecord({ ...schedule, enabled: 'false' }, 'schedules')).toBe(false);
    expect(isCachedRecord({ ...schedule, cronDialect: 'quartz' }, 'schedules')).toBe(false);
  });

  it('is still an answer a mutation recorded: a retry across the upgrade replays it, never CONFLICT', () => {
    expect(isAnsweredRecord(older, 'schedules')).toBe(true);
    expect(isAnsweredRecord({ ...schedule, enabled: 'false' }, 'schedules')).toBe(false);
  });
});
