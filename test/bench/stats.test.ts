import { describe, expect, it } from 'vitest';
import { median, positiveCount } from '../../bench/stats.js';

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

// The benches' count knobs (AB_ROUNDS, FLOORS_DASHBOARDS...): a typo must stop the bench, not run a round of nothing.
describe('bench count knobs', () => {
  it('takes the fallback when unset or empty, and a whole number given', () => {
    expect(positiveCount('N', 6, {})).toBe(6);
    expect(positiveCount('N', 6, { N: '' })).toBe(6);
    expect(positiveCount('N', 6, { N: '25' })).toBe(25);
  });

  it('refuses zero, negatives, fractions and words, naming the knob', () => {
    for (const raw of ['0', '-1', '2.5', 'ten']) expect(() => positiveCount('AB_ROUNDS', 6, { AB_ROUNDS: raw })).toThrow(`AB_ROUNDS must be an integer >= 1, got ${raw}`);
  });
});
