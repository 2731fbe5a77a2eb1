import { describe, expect, it } from 'vitest';
import { utcMsOfWallFields } from '../../src/domain/wall-fields.js';

const february29 = (year: number): number | null => utcMsOfWallFields({ year, month: 2, day: 29, hour: 12, minute: 0, second: 0 });

describe('29 February, by the Gregorian rule', () => {
  it('is in a year divisible by 400, and not in a century year that is not', () => {
    expect(february29(2000)).toBe(Date.UTC(2000, 1, 29, 12));
    expect(february29(2400)).toBe(Date.UTC(2400, 1, 29, 12));
    expect(february29(1900)).toBeNull();
    expect(february29(2100)).toBeNull();
  });
});
