import { describe, expect, it } from 'vitest';
import { parseUtcDate } from '../../src/domain/provider-dates.js';

/**
 * The date is the whole text, from its first character: the fields are read at
 * fixed places from the start, so a text that only ends with a date (an ISO 8601
 * interval, two dates side by side) would read its first date's hours and minutes
 * out of the second date's year and month: "2024-07-22/2024-07-23" as 20:37 on
 * 22 July.
 */
describe('provider dates: a text that ends with a date is no date', () => {
  it('an interval or two dates in one field give null, never a time read out of the second date', () => {
    for (const value of ['2024-07-22/2024-07-23', '2024-07-23 2024-07-23', '2024-07-22T10:20/2024-07-23T10:20:30Z']) {
      expect(parseUtcDate(value), value).toBeNull();
    }
  });
});
