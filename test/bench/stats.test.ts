import { describe, expect, it } from 'vitest';
import { median } from '../../bench/stats.js';

// bench:ab, bench:startup and bench:graphiql report medians of noisy rounds: the middle one, whatever the order.
describe('bench median', () => {
  it('is the middle value of an odd count, unsorted input left as it was', () => {
    const rounds = [9, 1, 5];
    expect(median(rounds)).toBe(5);
    expect(rounds).toEqual([9, 1, 5]);
  });

  it('is the upper middle value of an even count, compared as numbers', () => {
    expect(median([10, 9, 100, 2])).toBe(10);
  });

  it('is NaN for no values', () => {
    expect(median([])).toBeNaN();
  });
});
