import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readEscapedJoiners } from '../../src/upstream/escaped-joiners.js';
import { ESCAPE_MARKERS, joinersRead } from '../../src/upstream/joiners-read.js';

/** Letters, digits, the punctuation escapes stand for, whitespace and the markers, so that texts hold escapes often. */
const PIECES = ['a', 'D', '7', 'Kq8R', '-', '.', '/', ':', ';', '#', 'x', '2', 'F', 'amp;', 'lt;', '#x2D;', 'u002d', '2d', ' ', '"', ...ESCAPE_MARKERS];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }).map((pieces) => pieces.join(''));

// Guards: joinersRead only skips readEscapedJoiners where it reads nothing; these pass on its first version too.
describe('joinersRead: readEscapedJoiners, not asked where no escape can start', () => {
  it('reads every text as readEscapedJoiners does', () => {
    fc.assert(fc.property(text, (sample) => {
        expect(joinersRead(sample)).toEqual(readEscapedJoiners(sample));
      }), { numRuns: 3000 });
  });

  it('reads an escape of each marker', () => {
    expect(joinersRead('ab%2Fcd')?.text).toBe('ab/cd');
    expect(joinersRead('ab\\u002fcd')?.text).toBe('ab/cd');
    expect(joinersRead('ab&sol;cd')?.text).toBe('ab/cd');
  });

  it('reads nothing in a text holding no marker, as readEscapedJoiners reads it', () => {
    const plain = '{"doc":{"elem":[{"id":{"$":"1"},"name":{"$":"backup-1 of vm-1"}}]}}';
    expect(readEscapedJoiners(plain)).toBeNull();
    expect(joinersRead(plain)).toBeNull();
  });
});
