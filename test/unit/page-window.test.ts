import { describe, expect, it } from 'vitest';
import { pageSizeOf, pageWithin } from '../../src/gateway/page-window.js';

const badInput = expect.objectContaining({ code: 'BAD_USER_INPUT' });

describe('page size: first forward, last backward', () => {
  it('first, or 50 when neither is given, counts from the start; last from the end', () => {
    expect(pageSizeOf({ first: 3 }, 10)).toEqual({ size: 3, fromEnd: false });
    expect(pageSizeOf({}, 100)).toEqual({ size: 50, fromEnd: false });
    expect(pageSizeOf({ first: null, last: null }, 100)).toEqual({ size: 50, fromEnd: false });
    expect(pageSizeOf({ last: 10 }, 10)).toEqual({ size: 10, fromEnd: true });
    expect(pageSizeOf({ first: null, last: 1 }, 10)).toEqual({ size: 1, fromEnd: true });
  });

  it('refuses sizes out of 1 to the cap, and first with last, as BAD_USER_INPUT naming the argument', () => {
    for (const size of [0, -1, 11, 1.5, Number.NaN]) {
      expect(() => pageSizeOf({ first: size }, 10), `first ${size}`).toThrow('first must be between 1 and 10');
      expect(() => pageSizeOf({ last: size }, 10), `last ${size}`).toThrow('last must be between 1 and 10');
    }
    // The default is checked against the cap too: a cap below 50 with no size asked is a refusal, as before.
    expect(() => pageSizeOf({}, 10)).toThrow('first must be between 1 and 10');
    expect(() => pageSizeOf({ first: 1, last: 1 }, 10)).toThrow(badInput);
    // The refusal says which way each pair pages, so the client can drop one.
    expect(() => pageSizeOf({ first: 1, last: 1 }, 10)).toThrow('first and last cannot both be given: page forward with first and after, or backward with last and before');
  });
});

describe('the page within the window the cursors leave', () => {
  it('forward: the window start, hasNextPage while the window holds more, hasPreviousPage while the list holds items before it', () => {
    expect(pageWithin(5, 0, 9, { size: 2, fromEnd: false })).toEqual({ from: 0, to: 2, hasPreviousPage: false, hasNextPage: true });
    expect(pageWithin(2, 1, 9, { size: 2, fromEnd: false })).toEqual({ from: 0, to: 2, hasPreviousPage: true, hasNextPage: false });
    expect(pageWithin(1, 0, 0, { size: 2, fromEnd: false })).toEqual({ from: 0, to: 1, hasPreviousPage: false, hasNextPage: false });
    expect(pageWithin(0, 3, 0, { size: 2, fromEnd: false })).toEqual({ from: 0, to: 0, hasPreviousPage: true, hasNextPage: false });
  });

  it('backward: the window end, hasPreviousPage while the window holds more, hasNextPage while the list holds items after it', () => {
    expect(pageWithin(5, 9, 0, { size: 2, fromEnd: true })).toEqual({ from: 3, to: 5, hasPreviousPage: true, hasNextPage: false });
    expect(pageWithin(2, 9, 1, { size: 2, fromEnd: true })).toEqual({ from: 0, to: 2, hasPreviousPage: false, hasNextPage: true });
    expect(pageWithin(1, 0, 0, { size: 2, fromEnd: true })).toEqual({ from: 0, to: 1, hasPreviousPage: false, hasNextPage: false });
    expect(pageWithin(0, 0, 4, { size: 2, fromEnd: true })).toEqual({ from: 0, to: 0, hasPreviousPage: false, hasNextPage: true });
  });
});
