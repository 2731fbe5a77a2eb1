import { describe, expect, it } from 'vitest';
import { lookalikePatterns } from '../../src/upstream/lookalike-secrets.js';
import { splitWordWork } from '../../src/upstream/split-word-search.js';

/**
 * The split-words search (split-word-search.ts) must find what the global regex it replaced
 * found: the same spans, leftmost first, apart. Each generated text holds the secret's letters
 * (in either case, full-width or as a mathematical letter past the BMP) split by what a provider
 * puts between them (whitespace of ASCII and past it, "+", `\n`-style, `\u0020`-style and `%20`-style escapes,
 * escapes ending in one of its letters), with stray letters, near-escapes and punctuation in
 * between; both are read over it and compared.
 */
const SECRETS = ['abaababaab', 'aaaaaaab', 'nightowlpassword'];
const BETWEEN = [
  ...[' ', '  ', '\t', '\n', '\r', '\v', '\f', '+', '\u00a0', '\u2003', '\u3000', '\\n', '\\t', '\\r', '\\f', '\\v', '%20', '%0a', '%0D', '%09', '%2b', '%2B', '%0b', '%0C'],
  // JSON's escapes of whitespace and "+", some ending in a letter.
  ...['\\u0020', '\\u00a0', '\\u00A0', '\\u2003', '\\u200a', '\\u200A', '\\u3000', '\\u1680', '\\u2028', '\\u202f', '\\u205F', '\\u000a', '\\u000D', '\\u002b', '\\u002B'],
  // Percent-encoded UTF-8 of whitespace past ASCII, some ending in a letter.
  ...['%C2%A0', '%c2%a0', '%E2%80%83', '%e2%80%8a', '%E2%80%8A', '%E3%80%80', '%E1%9A%80', '%E2%80%A8', '%E2%81%9F', '%e2%81%9f'],
];
const NOISE = [
  ...['\\x', '\\', '%', '%2', '%21', '%0e', '%0g', '%2c', '-', '.', ',', '1', 'x', 'Z', '\u00e9', '\u200b', '\u{1f600}', '\\N', '%0A'],
  // Near-escapes of whitespace: no split; the BOM's escape, whose letters the regex may start at.
  ...['\\u', '\\u002', '\\u0021', '\\u00a1', '\\u200b', '\\u2030', '\\U0020', '\\ufeff', '\\uFEFF', '\\u000e'],
  ...['%C2%A1', '%C2', '%E2%80', '%E2%80%8B', '%E2%80%AF', '%e2%80%af', '%E2%81%A0', '%E3%80%81', '%C2%A', '%E2%80%8'],
];

function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state >>> 8;
  };
}

/** One letter of the secret as an answer may write it. */
function lookalike(letter: string, next: () => number): string {
  switch (next() % 6) {
    case 0:
      return letter.toUpperCase();
    case 1:
      return String.fromCharCode(letter.charCodeAt(0) + 0xfee0 - (next() % 2) * 0x20);
    case 2:
      return String.fromCodePoint(0x1d41a + letter.charCodeAt(0) - 0x61);
    default:
      return letter;
  }
}

function textFor(secret: string, next: () => number): string {
  let text = '';
  const parts = 1 + (next() % 4);
  for (let part = 0; part < parts; part++) {
    // The secret whole, or a run of it from any place (a start or end alone), now and then a letter wrong.
    const from = next() % 3 === 0 ? next() % secret.length : 0;
    const to = next() % 3 === 0 ? from + 1 + (next() % (secret.length - from)) : secret.length;
    for (let at = from; at < to; at++) {
      const letter = next() % 40 === 0 ? 'q' : (secret[at] as string);
      text += lookalike(letter, next);
      if (at < to - 1 && next() % 3 === 0) text += Array.from({ length: 1 + (next() % 2) }, () => BETWEEN[next() % BETWEEN.length]).join('');
      if (next() % 25 === 0) text += NOISE[next() % NOISE.length];
    }
    // An escape whose last letter starts the secret: the regex could begin a match there.
    if (next() % 4 === 0) text += [`\\${secret[0]}`, `%0${secret[0]}`, `\\u000${secret[0]}`, `\\u200${secret[0]}`, `%E2%80%8${secret[0]}`, `%E2%80%A${secret[0]}`][next() % 6];
    text += NOISE[next() % NOISE.length] as string;
  }
  return text;
}

const spansOf = (pattern: RegExp, text: string): Array<[number, number]> => [...text.matchAll(pattern)].map((match) => [match.index, match.index + match[0].length]);

describe('the split-words search against the global regex it replaced', () => {
  it.each(SECRETS)('finds the same spans of %s in 400 generated texts', (secret) => {
    const [pattern] = lookalikePatterns(secret, 1) as [RegExp];
    // The split-words pattern reads its matches through the search; the same source as a plain regex, tried at every place.
    expect(pattern[Symbol.matchAll]).not.toBe(RegExp.prototype[Symbol.matchAll]);
    const plain = new RegExp(pattern.source, 'gu');
    const next = generator(20261205 + secret.length);
    let found = 0;
    const before = splitWordWork.anchoredRuns;
    for (let index = 0; index < 400; index++) {
      const text = textFor(secret, next);
      const expected = spansOf(plain, text);
      expect(spansOf(pattern, text), JSON.stringify(text)).toEqual(expected);
      expect(text.replace(pattern, '#'), JSON.stringify(text)).toBe(text.replace(plain, '#'));
      found += expected.length;
    }
    // The texts hold the secret often, and the search read them: one anchored run per place the
    // secret stands, in each of the two readings (matchAll, replace), none where it does not (a
    // letter walk that let more places through than the secret's would still find the same spans).
    expect(found).toBeGreaterThan(100);
    expect(splitWordWork.anchoredRuns - before).toBe(2 * found);
  });

  it('finds the same spans as the global regex for 300 secrets of only "a" and "b", in texts of pieces of them', () => {
    // Secrets of two letters repeat inside themselves in many ways: the search's table of where to go
    // on after a partial match (Knuth-Morris-Pratt) is worked hard, and a wrong entry misses a secret.
    const next = generator(20261206);
    let found = 0;
    const before = splitWordWork.anchoredRuns;
    for (let round = 0; round < 300; round++) {
      const secret = Array.from({ length: 8 + (next() % 5) }, () => 'ab'[next() % 2]).join('');
      const [pattern] = lookalikePatterns(secret, 1) as [RegExp];
      const plain = new RegExp(pattern.source, 'gu');
      for (let count = 0; count < 20; count++) {
        const text = Array.from({ length: 10 + (next() % 40) }, () => (next() % 5 === 0 ? secret.slice(next() % secret.length) : ['a', 'b', ' '][next() % 3])).join('');
        const expected = spansOf(plain, text);
        expect(spansOf(pattern, text), `${secret} in ${JSON.stringify(text)}`).toEqual(expected);
        found += expected.length;
      }
    }
    expect(found).toBeGreaterThan(300);
    expect(splitWordWork.anchoredRuns - before).toBe(found);
  });

  it.each([
    // An escape whose last letter is a capital starts the secret as the regex reads it.
    ['abaababaab', 'q=%0Abaababaab&r=%0aBAABABAAB'],
    ['boatswainmate', 'note%2Boatswain mate'],
    ['abaababaab', 'x\\u000Abaab\\u00a0ABAAB'],
    // The BOM's escape is no split (invisible-characters.ts reads it out): the regex may start inside it.
    ['feffnightowl', 'x\\uFEFFnight\\u2003owl'],
    // So is U+202F's percent-encoding: the regex may start at its "A".
    ['afnightowl', 'x%E2%80%AFnight%C2%A0owl'],
    ['abaababaab', 'x%E2%80%8Abaab%E3%80%80ABAAB'],
    // U+FFFF is one code unit: the letter after it is read, not stepped over.
    ['abaababaab', 'x\uffffabaababaab'],
    // A second copy straight after the first: the global regex went on from where the first ended.
    ['nightowlpassword', 'night owl passwordNight owl pass word'],
    ['aaaaaaab', 'aaaaaaabaaaaaaab'],
  ])('finds %s where the global regex does in %j', (secret, text) => {
    const [pattern] = lookalikePatterns(secret, 1) as [RegExp];
    const plain = new RegExp(pattern.source, 'gu');
    expect(spansOf(plain, text).length).toBeGreaterThan(0);
    expect(spansOf(pattern, text)).toEqual(spansOf(plain, text));
  });

  it.each(['\u0000', '\u0001', '\u0008'])('reads %j between two letters as a stop, as the regex does, and runs no regex there', (control) => {
    const [pattern] = lookalikePatterns('nightowlpassword', 1) as [RegExp];
    const plain = new RegExp(pattern.source, 'gu');
    const before = splitWordWork.anchoredRuns;
    for (const text of [`night${control}owlpassword`, `nightowl${control}password`, `${control}n${control}ightowlpassword`]) {
      expect(spansOf(plain, text)).toEqual([]);
      expect(spansOf(pattern, text)).toEqual([]);
    }
    // Beside the secret, not inside it, it is found as before.
    expect(spansOf(pattern, `${control}nightowlpassword${control}`)).toEqual([[1, 17]]);
    expect(splitWordWork.anchoredRuns - before).toBe(1);
  });
});
