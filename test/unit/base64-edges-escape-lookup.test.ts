import { describe, expect, it } from 'vitest';
import { firstEscapeFrom, lastEscapeBefore } from '../../src/upstream/base64-edges.js';

/**
 * base64-edges.ts asks, at every span's ends, for the escape before and after it. Walked from the
 * end (or the start) of the escapes, a hostile answer of a secret's pieces among many escapes cost
 * the product of the two counts: 3.2 MB of `Basic` headers cut by `\u002d` scrubbed in 7.5 s, 1.2 s
 * before the edges were read. The escapes are in order: each lookup reads a logarithm of them.
 */
const COUNT = 100_000;
/** Escape `index` stands at 10 * index to 10 * index + 6 (`\u002d`). */
const starts = Array.from({ length: COUNT }, (_, index) => 10 * index);
const ends = starts.map((start) => start + 6);

function counting(values: number[]): { values: number[]; reads: () => number } {
  let reads = 0;
  const proxy = new Proxy(values, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { values: proxy, reads: () => reads };
}

const naiveLast = (end: number): number => ends.findLastIndex((value) => value <= end);
const naiveFirst = (start: number): number => {
  const found = starts.findIndex((value) => value >= start);
  return found === -1 ? COUNT : found;
};

const PLACES = [-1, 0, 5, 6, 7, 10, 16, 99_999, 500_000, 500_006, 999_990, 999_996, 999_997, 2_000_000];

describe("the escapes beside a span's ends, looked up by halves", () => {
  it('answers as a walk would, at every kind of place', () => {
    for (const place of PLACES) {
      expect(lastEscapeBefore(ends, place), `last before ${place}`).toBe(naiveLast(place));
      expect(firstEscapeFrom(starts, place), `first from ${place}`).toBe(naiveFirst(place));
    }
    expect(lastEscapeBefore([], 5)).toBe(-1);
    expect(firstEscapeFrom([], 5)).toBe(0);
  });

  it('reads some 17 escapes of 100,000 a lookup, not all of them', () => {
    for (const place of PLACES) {
      const endsRead = counting(ends);
      lastEscapeBefore(endsRead.values, place);
      expect(endsRead.reads(), `last before ${place}`).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(COUNT + 1)));
      const startsRead = counting(starts);
      firstEscapeFrom(startsRead.values, place);
      expect(startsRead.reads(), `first from ${place}`).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(COUNT + 1)));
    }
  });
});
