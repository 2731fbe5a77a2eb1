import { describe, expect, it } from 'vitest';
import { holdsHidden, readHidden } from '../../src/upstream/invisible-characters.js';
import { holdsHidden as holdsHiddenBefore, readHidden as readHiddenBefore } from '../helpers/invisible-characters-before.js';

/**
 * The scrubber's second reading (readHidden) must read every text as it did before it was made
 * cheap for hostile shapes (raw whitespace past ASCII between letters cost 5 times a plain list's
 * scrub, nearly all of it building the reading): the same text, and each character traced to the
 * same places. Generated texts mix the shapes `npm run bench:scrub-worst` measures with the
 * escapes, invisible characters and whitespace the reading reads, near-misses of them, a secret's
 * letters, surrogate pairs and lone halves.
 */
const PIECES = [
  ...['a', 'n', 'nightowl', 'password', 'Dnb7Kq8', 'Rw2Zx4LmT', ' ', '+', '-', '.', '1', 'é', '\u{1f600}', '\ud800', '\udc00', '\ufdd0'],
  // Raw whitespace past ASCII and invisible characters as they stand, a tag (a pair) and its halves.
  ...['\u00a0', '\u3000', '\u2007', '\u202f', '\u1680', '\u2028', '\u205f', '\u200b', '\u00ad', '\u0001', '\u009f', '\ufeff', '\ufffd', '\u{e0041}', '\udb40', '\udc41'],
  // Escapes of them, nested, and near-misses.
  ...['\\u00a0', '\\u00A0', '\\u3000', '\\u200b', '\\\\u200b', '\\u{200b}', '\\u{a0}', '\\x', '\\x20', '\\xa0', '\\xc2\\xa0', '\\xe2\\x80\\x8b', '\\xc3\\xad', '\\x00', '\\', '\\\\', '\\b', '\\u0026nbsp;', '\\udb40\\udc41'],
  ...['%', '%2', '%20', '%2520', '%E2%80%8B', '%25E2%2580%258B', '%25E2%2580', '%C2%A0', '%25C2%25A0', '%5Cx00', '%255Cx20', '%5Cu200b', '%00', '%252500', '%E2%80%AF'],
  ...['&', '&#', '&#0', '&#000', '&#160;', '&#xa0', '&#8203;', '&nbsp;', '&nbsp', '&amp;nbsp;', '&ampnbsp;', '&#38;#8203;', '&#x26;shy;', '&shy', '&zwnj;', '&Tab;', '&amp;amp;zwnj;'],
];

function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state;
  };
}

const readingOf = (read: ReturnType<typeof readHidden>): { text: string; places: number[]; ends: number[] } => ({ text: read.text, places: [...read.places], ends: [...read.ends] });

describe('the second reading against the one before it was made cheap (readHidden, holdsHidden)', () => {
  it('reads each generated text as before: the same text, places and ends', () => {
    const next = generator(11);
    for (let run = 0; run < 20_000; run++) {
      let text = '';
      const length = next() % 12;
      for (let index = 0; index < length; index++) text += PIECES[next() % PIECES.length];
      expect(readingOf(readHidden(text)), JSON.stringify(text)).toEqual(readingOf(readHiddenBefore(text)));
      expect(holdsHidden(text), JSON.stringify(text)).toBe(holdsHiddenBefore(text));
    }
  });

  it('reads the hostile shapes as before, each at a size that takes several pieces of the reading', () => {
    for (const unit of ['a\u00a0', 'a\\u00a0', 'a\u3000', 'a\u200b', 'a\\u200b', 'n%E2%80%8B', 'n&nbsp;', '\\x', '\\', '%25E2%2580', '&#', 'a ', 'nightowl\u00a0password\u200b']) {
      const text = unit.repeat(Math.ceil(20_000 / unit.length));
      expect(readingOf(readHidden(text)), unit).toEqual(readingOf(readHiddenBefore(text)));
    }
  });
});
