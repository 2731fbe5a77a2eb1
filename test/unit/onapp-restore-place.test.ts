import { describe, expect, it } from 'vitest';
import { restorePlaceInToken, restoresBeforePlace } from '../../src/providers/onapp/restore-place.js';
import { MOST_OVERLAPPING_CREATES } from '../../src/state/create-order.js';

describe('restorePlaceInToken', () => {
  it('reads an operation id made before places as the first, and a place of one spelling up to the most', () => {
    expect(restorePlaceInToken(['120'])).toBe(1);
    expect(restorePlaceInToken(['120', '2'])).toBe(2);
    expect(restorePlaceInToken(['120', String(MOST_OVERLAPPING_CREATES)])).toBe(MOST_OVERLAPPING_CREATES);
  });

  it('refuses a place that is no place (BAD_USER_INPUT), never a poll of another restore', () => {
    for (const text of ['0', '02', '-1', 'x', String(MOST_OVERLAPPING_CREATES + 1), '']) {
      expect(() => restorePlaceInToken(['120', text])).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    }
  });
});

describe('restoresBeforePlace', () => {
  it('counts the places before this one whose POST was sent (held, or no longer held), not those given up', () => {
    expect(restoresBeforePlace([], 1)).toBe(0);
    expect(restoresBeforePlace(['open', 'open'], 2)).toBe(1);
    expect(restoresBeforePlace(['given-up', 'unheld', 'open', 'open'], 4)).toBe(2);
    expect(restoresBeforePlace(['given-up', 'open'], 2)).toBe(0);
  });
});
