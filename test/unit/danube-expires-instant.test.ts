import { describe, expect, it } from 'vitest';
import { expiresAtMs } from '../../src/providers/danube/expires-instant.js';

const END = Date.UTC(2026, 11, 5, 13, 0, 0, 123);

describe('expiresAtMs: the forms of a Danube login\'s `expires`', () => {
  it.each([
    ['2026-12-05T13:00:00.123Z', END],
    ['2026-12-05T14:00:00.123+01:00', END],
    ['2026-12-05T14:00:00.123+0100', END],
    ['2026-12-05T08:00:00.123-05', END],
    ['2026-12-05T13:00:00.123456', END],
    ['2026-12-05 13:00:00.123', END],
    ['2026-12-05T13:00', Date.UTC(2026, 11, 5, 13, 0)],
    [END / 1000, END],
    [String(Math.floor(END / 1000)), END - 123],
  ])('%s', (written, expected) => {
    expect(expiresAtMs(written)).toBe(expected);
  });

  it.each([['in an hour'], [''], ['2026-13-45T13:00:00Z'], [null], [undefined], [Number.NaN], [-5], [{}], ['Sat, 05 Dec 2026 13:00:00']])('%s is unreadable', (written) => {
    expect(expiresAtMs(written)).toBeNull();
  });
});
