import { describe, expect, it } from 'vitest';
import { nextRunOf } from '../../src/domain/schedule.js';

const at = (iso: string): number => Date.parse(iso);
const nextRun = (cron: string, startsAt: string, now: string): string | null =>
  nextRunOf({ cron, timezone: 'UTC', enabled: true, cronDialect: 'vixie', startsAtMs: at(startsAt) }, new Date(now))?.toISOString() ?? null;

describe('a schedule that begins later, at a start with seconds', () => {
  it('runs at its first cron minute after the start, that many seconds in', () => {
    expect(nextRun('0 12 * * *', '2024-01-02T10:00:30Z', '2024-01-02T09:00:00Z')).toBe('2024-01-02T12:00:30.000Z');
  });

  it('is never earlier than the start itself, to the millisecond', () => {
    // The start's minute is a cron minute: the run is the start, not 10:00:30.000 before it.
    expect(nextRun('0 * * * *', '2024-01-02T10:00:30.500Z', '2024-01-02T09:00:00Z')).toBe('2024-01-02T10:00:30.500Z');
  });

  it('has none when its cron never fires, whether the start is still to come or past', () => {
    expect(nextRun('0 4 30 2 *', '2024-01-02T10:00:30Z', '2024-01-02T09:00:00Z')).toBeNull();
    expect(nextRun('0 4 30 2 *', '2024-01-02T10:00:30Z', '2024-02-02T09:00:00Z')).toBeNull();
  });
});
