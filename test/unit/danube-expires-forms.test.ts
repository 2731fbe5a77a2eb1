import { describe, expect, it } from 'vitest';
import { expiresAtMs } from '../../src/providers/danube/expires-instant.js';

const AT = Date.UTC(2026, 11, 5, 13, 0, 0);

describe('expiresAtMs: the edges of each form', () => {
  it.each([
    [' 2026-12-05T13:00:00Z\n', AT],
    ['2026-12-05t13:00:00z', AT],
    ['2026-12-05T13:00:00,5Z', AT + 500],
    ['2026-12-05T13:00:00.1', AT + 100],
    ['2026-12-05T13:00:00.98765Z', AT + 987],
    ['2026-12-05T14:30:00+01:30', AT],
    ['2026-12-05T14:30:00+0130', AT],
    ['2026-12-05T11:00:00.000-0200', AT],
    ['2026-12-05T13:00Z', AT],
    ['2026-12-05 13:00', AT],
    [1.5, 1500],
    ['1.25', 1250],
    [' 1733403600 ', 1_733_403_600_000],
    ['999999999999', 999_999_999_999_000],
  ])('%j', (written, expected) => {
    expect(expiresAtMs(written)).toBe(expected);
  });

  it.each([
    [0],
    [Number.POSITIVE_INFINITY],
    ['1234567890123'],
    ['1.'],
    ['x2026-12-05T13:00:00Z'],
    ['2026-12-05T13:00:00Zx'],
    ['2026-12-05X13:00:00Z'],
    ['2026-12-05T13:00:0Z'],
    ['2026-12-05T13:00:00.Z'],
    ['2026-12-05T13:00:00+1'],
    ['2026-12-05T13:00:00+01:0'],
    ['2026-12-5T13:00:00Z'],
    ['2026-12-05T13:00:00 Z'],
    [true],
  ])('%j is unreadable', (written) => {
    expect(expiresAtMs(written)).toBeNull();
  });
});
