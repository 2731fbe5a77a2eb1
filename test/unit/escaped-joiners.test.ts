import { describe, expect, it } from 'vitest';
import type { Span } from '../../src/upstream/escape-reading.js';
import { type JoinersRead, readEscapedJoiners, spansInSource, stretchesAroundEscapes } from '../../src/upstream/escaped-joiners.js';
import { MIN_PIECE_LENGTH, stretchAround } from '../../src/upstream/secret-pieces.js';

/** HTML5's names of the punctuation the piece search passes over, each with the character it reads as. */
const NAMED: Array<[string, string]> = [
  ['excl', '!'], ['quot', '"'], ['QUOT', '"'], ['num', '#'], ['dollar', '$'], ['amp', '&'], ['AMP', '&'], ['apos', "'"], ['lpar', '('], ['rpar', ')'],
  ['ast', '*'], ['midast', '*'], ['comma', ','], ['period', '.'], ['sol', '/'], ['colon', ':'], ['semi', ';'], ['lt', '<'], ['LT', '<'], ['equals', '='],
  ['gt', '>'], ['GT', '>'], ['quest', '?'], ['commat', '@'], ['lsqb', '['], ['lbrack', '['], ['rsqb', ']'], ['rbrack', ']'], ['Hat', '^'], ['lowbar', '_'],
  ['UnderBar', '_'], ['lcub', '{'], ['lbrace', '{'], ['verbar', '|'], ['vert', '|'], ['VerticalLine', '|'], ['rcub', '}'], ['rbrace', '}'],
];

describe('readEscapedJoiners: punctuation escaped between letters or digits', () => {
  it.each(NAMED)('reads &%s; as %s', (name, char) => {
    expect(readEscapedJoiners(`ab&${name};cd`)?.text).toBe(`ab${char}cd`);
  });

  it('reads an escape between digits and letters at either end of their ranges', () => {
    for (const [before, after] of [['0', '9'], ['9', '0'], ['A', 'Z'], ['Z', 'A'], ['a', 'z'], ['z', 'a']]) expect(readEscapedJoiners(`${before}%2F${after}`)?.text, `${before}${after}`).toBe(`${before}/${after}`);
  });

  it('reads none beside a character just outside those ranges', () => {
    for (const outside of ['/', ':', '@', '[', '`', '{']) {
      expect(readEscapedJoiners(`${outside}%2Fa`), outside).toBeNull();
      expect(readEscapedJoiners(`a%2F${outside}`), outside).toBeNull();
    }
  });

  it('reads hex digits of either case, and no other letter as one', () => {
    expect(readEscapedJoiners('a%2fb')?.text).toBe('a/b');
    expect(readEscapedJoiners('a%2Fb')?.text).toBe('a/b');
    expect(readEscapedJoiners('a%3ab')?.text).toBe('a:b');
    expect(readEscapedJoiners('a\\x2Ab')?.text).toBe('a*b');
    for (const text of ['a%2Gb', 'a%2gb', 'a%3Gb', 'a%3gb', 'a%2@b', 'a%2`b', 'a%8Fb']) expect(readEscapedJoiners(text), text).toBeNull();
  });
});

describe('readEscapedJoiners: which escapes read as which character', () => {
  it('reads the digit 9 in an escape of each kind', () => {
    const read: Array<[string, string]> = [['a%29b', 'a)b'], ['a\\x29b', 'a)b'], ['a\\u0029b', 'a)b'], ['a&#x29;b', 'a)b'], ['a&#39;b', "a'b"], ['a&#95;b', 'a_b'], ['a&#x5F;9', 'a_9']];
    for (const [text, reading] of read) expect(readEscapedJoiners(text)?.text, text).toBe(reading);
  });

  it('reads on past a marker it refuses after an escape it read, whatever kind of escape the marker fails to begin', () => {
    // The text's second character is a letter and the escape read leaves its character behind: an end mistaken for 1 went back to the start.
    for (const refused of ['\\yz', '&#1060;z', '&#;z', '&#200;z', '&;z', '&foo;z', '&aposz']) {
      const text = `ab%2Fcd${refused}`;
      expect(readEscapedJoiners(text)?.text, text).toBe(`ab/cd${refused}`);
    }
  });

  it('reads each kind of escape of a joiner, and none of a character that is no joiner', () => {
    const read: Array<[string, string | null]> = [
      ['a%7Cb', 'a|b'], ['a%7cb', 'a|b'], ['a\\x7Cb', 'a|b'], ['a\\\\x3cb', 'a<b'], ['a\\u003cb', 'a<b'], ['a\\\\u003Cb', 'a<b'],
      ['a&#60;b', 'a<b'], ['a&#60b', 'a<b'], ['a&#x3c;b', 'a<b'], ['a&#X3Cz', 'a<z'], ['a&#X3Cb', null], ['a&#x7c;b', 'a|b'],
      ['a&ltb', 'a<b'], ['a&quotb', 'a"b'], ['a&QUOTb', 'a"b'], ['a&AMPb', 'a&b'], ['a&GTb', 'a>b'], ['a&ltx;b', 'a<x;b'],
      // A letter reads as itself (see below); no joiner: a space, DEL; no escape: an unknown name, "apos" without ";", an upper-case \X, \u with no 00.
      ['a%41b', 'aAb'], ['a%20b', null], ['a%7Fb', null], ['a&#65;b', 'aAb'], ['a&foo;b', null], ['a&aposb', null], ['a&;b', null],
      ['a\\X3cb', null], ['a\\u013cb', null], ['a\\u103cb', null], ['a\\ux3cb', null], ['a\\\\\\x3cb', 'a<b'], ['a\\y3cb', null], ['a\\y003cb', null],
      ['a%3', null], ['a%3Cb%', 'a<b%'], ['a&#;b', null], ['a&#x;b', null], ['a&#6xb', null],
    ];
    for (const [text, reading] of read) expect(readEscapedJoiners(text)?.text ?? null, text).toBe(reading);
  });

  it('reads none of the names every object inherits, and throws on none', () => {
    for (const name of ['constructor', 'toString', 'valueOf']) expect(readEscapedJoiners(`a&${name};b`), name).toBeNull();
    expect(readEscapedJoiners('a&constructor;b&lt;c')?.text).toBe('a&constructor;b<c');
  });

  it('reads a numeric reference through seven leading zeros, and no digit past three after them', () => {
    expect(readEscapedJoiners(`a&#${'0'.repeat(7)}60;b`)?.text).toBe('a<b');
    expect(readEscapedJoiners(`a&#x${'0'.repeat(7)}3c;b`)?.text).toBe('a<b');
    // The eighth zero is a digit: 0, 6, 0 read as 60.
    expect(readEscapedJoiners(`a&#${'0'.repeat(8)}60;b`)?.text).toBe('a<b');
    for (const text of [`a&#${'0'.repeat(9)}60;b`, `a&#x${'0'.repeat(9)}3c;b`, 'a&#1060;b', 'a&#x3c2z', 'a&#128;b', 'a&#x80;b']) expect(readEscapedJoiners(text), text).toBeNull();
  });

  it('reads only an escape that begins with a marker, wherever the markers stand', () => {
    // "lt;" after a letter is no escape; a marker elsewhere makes the text read.
    expect(readEscapedJoiners('x%20 ablt;cd a#60;b')).toBeNull();
    expect(readEscapedJoiners('ab\\u003cd%')?.text).toBe('ab<d%');
    // Markers far apart, past the run read one by one, and markers in a row.
    const far = `${'x'.repeat(40)}a%2Fb${'y'.repeat(70)}c&lt;d${'z'.repeat(33)}e\\x3cf%%%&&\\\\g&amp;h`;
    expect(readEscapedJoiners(far)?.text).toBe(`${'x'.repeat(40)}a/b${'y'.repeat(70)}c<d${'z'.repeat(33)}e<f%%%&&\\\\g&h`);
    const quietThenMarker = `%${'q'.repeat(31)}a%2Fb${'q'.repeat(32)}c%2Fd${'q'.repeat(33)}e%2Ff`;
    expect(readEscapedJoiners(quietThenMarker)?.text).toBe(`%${'q'.repeat(31)}a/b${'q'.repeat(32)}c/d${'q'.repeat(33)}e/f`);
    // One escape right after another: the second's letter before it is the first's letter after.
    expect(readEscapedJoiners('a%2Fb%2Fc&lt;d')?.text).toBe('a/b/c<d');
    // A run of escapes between two pieces reads as one character (a secret's joiner escaped twice over).
    expect(readEscapedJoiners('a&lt;&lt;b')?.text).toBe('a<b');
    expect(readEscapedJoiners('a%2F%2Fb')?.text).toBe('a/b');
    expect(readEscapedJoiners('%2Fab%2F')).toBeNull();
    // A marker at the text's start, then one of another kind further on: the escape between them is read.
    const afterStartMarker: Array<[string, string]> = [['%a%2Fb&lt;c', '%a/b<c'], ['\\a\\x2Fb%3Cc', '\\a/b<c'], ['&a&lt;b\\x2Fc', '&a<b/c']];
    for (const [text, reading] of afterStartMarker) expect(readEscapedJoiners(text)?.text, text).toBe(reading);
  });
});

describe('readEscapedJoiners: a joiner\'s escape beside spaces, in a run, or percent-encoded again', () => {
  it('reads a joiner\'s escape past one or two spaces of each kind on either side or both, and none past three', () => {
    for (const spaces of [' ', '\t', '\n', '\r', '  ', '\r\n']) {
      expect(readEscapedJoiners(`a${spaces}&lt;b`)?.text, JSON.stringify(spaces)).toBe(`a${spaces}<b`);
      expect(readEscapedJoiners(`a%2F${spaces}b`)?.text, JSON.stringify(spaces)).toBe(`a/${spaces}b`);
    }
    // A quote beside a space ends a JSON string; spaces with no letter or digit past them, or past the text's ends.
    expect(readEscapedJoiners('a &lt; b')?.text).toBe('a < b');
    expect(readEscapedJoiners('a\t%2F\tb')?.text).toBe('a\t/\tb');
    expect(readEscapedJoiners('a  &amp;\r\nb')?.text).toBe('a  &\r\nb');
    expect(readEscapedJoiners('a &lt;  b')?.text).toBe('a <  b');
    // A quote's escape with spaces on both sides stays unread (a JSON string's end), and so do three spaces on either side.
    for (const text of ['a &quot; b', 'a \\u0022 b', 'a  &lt;   b', 'a   &lt;  b']) expect(readEscapedJoiners(text), JSON.stringify(text)).toBeNull();
    for (const text of ['a   &lt;b', 'a&lt;   b', 'a   &lt; b', 'a &lt;   b', 'a   &quot;b', 'a&quot;   b', 'a\t\t\t\\u0027b', '/ &lt;b', 'a&lt; /', ' &lt;b', 'a&lt; ', 'a\v&lt;b', 'a&lt;\fb']) {
      expect(readEscapedJoiners(text), JSON.stringify(text)).toBeNull();
    }
    // A joiner as it stands after the spaces is read with the escape, as the run's first joiner as it stands (scrub-spaced-joiner-runs.test.ts).
    expect(readEscapedJoiners('a &lt; /b')?.text).toBe('a /b');
    // A quote's escape with a space or two on one side is read, as the piece search passes over `"` and `'` so (scrub-quote-escape-beside-space.test.ts).
    for (const [text, reading] of [['a &quot;b', 'a "b'], ['a&quot; b', 'a" b'], ['a\t\\u0027b', "a\t'b"]]) expect(readEscapedJoiners(text as string)?.text, text).toBe(reading);
  });

  it('reads a run of joiners\' escapes as one, ending at an escape of no joiner or a marker that begins none', () => {
    const read: Array<[string, string | null]> = [
      ['a&lt;&gt;b', 'a<b'], ['a %3C%3C%3Cb', 'a <b'], ['a\\x2f&amp;  b', 'a/  b'],
      // A quote ends the run: the joiner before it has no letter after, and the quote none before.
      ['a&lt;&quot;b', null], ['a&lt;%22b', null],
      // A run with spaces both sides is read as one too.
      ['a %3C%3C b', 'a < b'], ['a &lt;\\x3c b', 'a < b'],
      // Only a marker begins an escape of the run: "xgt;" after one is letters.
      ['a%2Fxgt;b', 'a/xgt;b'],
      // A bare "&" is a joiner as it stands: read with the run, as its first such (scrub-spaced-joiner-runs.test.ts); a "%" that begins no escape ends it.
      ['a&lt;&zz b%2Fc', 'a&zz b/c'], ['a%3C%zz b&lt;c', 'a%3C%zz b<c'],
    ];
    for (const [text, reading] of read) expect(readEscapedJoiners(text)?.text ?? null, text).toBe(reading);
  });

  it('reads %XX percent-encoded again any number of times', () => {
    const read: Array<[string, string | null]> = [
      ['a%252Fb', 'a/b'], ['a%25253cb', 'a<b'], ['a%2525253Cb', 'a<b'], ['a%252525253Cb', 'a<b'], ['a%25252525252525253Cb', 'a<b'], ['a%2525252525b', null], ['a%25b', null], ['a%2525b', null], ['a%258Fb', null], ['a%2522b', 'a"b'],
      // Only "25" is a "%" encoded again: "2F" then "3C" is a slash before "3C", "35" a five (read as one, a digit).
      ['a%2F3Cb', 'a/3Cb'], ['a%353Cb', 'a53Cb'], ['a%2X3Cb', null],
    ];
    for (const [text, reading] of read) expect(readEscapedJoiners(text)?.text ?? null, text).toBe(reading);
  });
});

/** Where each character of `read.text` stands in `source`: an escape read is the escape whole. */
function sourcePlaces(read: JoinersRead, source: string): Span[] {
  const places: Span[] = [];
  let at = 0;
  let escape = 0;
  while (at < source.length) {
    if (read.escapes.at[escape] === at) {
      places.push([at, read.escapes.end[escape] as number]);
      at = read.escapes.end[escape] as number;
      escape++;
    } else places.push([at, ++at]);
  }
  return places;
}

const TRACED = ['xy&lt;z%2Fw\\u0022v', 'a &lt;&gt;b%25253Cc d%2F  e\tf', 'a%2Fb%2Fc&lt;d', '%2Fab&#x0003c;cd\\\\x3ce&quot;&quot;', 'Dnb7Kq8&lt;Rw2Zx4LmT and AbCd%2DEfGh&#45;1234'];

describe('spansInSource: where a span of the reading stands in the text', () => {
  it.each(TRACED)('traces every span of the reading of %s, one at a time and in order', (text) => {
    const read = readEscapedJoiners(text);
    if (read === null) throw new Error('nothing read');
    const places = sourcePlaces(read, text);
    expect(places).toHaveLength(read.text.length);
    const asSource = ([start, end]: Span): Span => [(places[start] as Span)[0], (places[end - 1] as Span)[1]];
    for (let start = 0; start < read.text.length; start++) {
      for (let end = start + 1; end <= read.text.length; end++) expect(spansInSource(read, [[start, end]]), `${start}-${end}`).toEqual([asSource([start, end])]);
    }
    for (const width of [1, 2, 3]) {
      const spans: Span[] = [];
      for (let start = 0; start + width <= read.text.length; start += width + 1) spans.push([start, start + width]);
      expect(spansInSource(read, spans), String(width)).toEqual(spans.map(asSource));
    }
  });
});

/**
 * What stretchesAroundEscapes answers, written plainly: stretchAround each escape's place in the
 * reading, made one where they overlap or touch; null where there are more escapes than one per
 * 4 * MIN_PIECE_LENGTH characters of the reading, or the stretches cover half of it or more.
 */
function expectedStretches(read: JoinersRead): Span[] | null {
  const { at, end } = read.escapes;
  if (at.length * MIN_PIECE_LENGTH * 4 > read.text.length) return null;
  const stretches: Span[] = [];
  let removed = 0;
  at.forEach((start, index) => {
    const [from, to] = stretchAround(read.text, start - removed);
    removed += (end[index] as number) - start - 1;
    const last = stretches.at(-1);
    if (last !== undefined && from <= last[1]) last[1] = Math.max(last[1], to);
    else stretches.push([from, to]);
  });
  const covered = stretches.reduce((sum, [from, to]) => sum + to - from, 0);
  return covered * 2 >= read.text.length ? null : stretches;
}

describe('stretchesAroundEscapes: where the reading is searched again', () => {
  it('answers the stretches around one escape, or null, for each length of text around it', () => {
    let stretched = 0;
    let whole = 0;
    for (const escape of ['%2F', '&lt;', '\\u003c', '&#x0003c;']) {
      for (let before = 0; before < 90; before++) {
        for (const after of [0, 1, 7, 30, 60]) {
          const text = `${'k9'.repeat(45).slice(0, before)}a${escape}b${'Zq'.repeat(40).slice(0, after)}`;
          const read = readEscapedJoiners(text);
          if (read === null) throw new Error(text);
          const expected = expectedStretches(read);
          if (expected === null) whole++;
          else stretched++;
          expect(stretchesAroundEscapes(read), text).toEqual(expected);
        }
      }
    }
    expect(stretched).toBeGreaterThan(100);
    expect(whole).toBeGreaterThan(100);
  });

  it('makes stretches one where they overlap or touch, and keeps them apart where they do not', () => {
    const gaps = new Set<string>();
    for (const [first, second] of [['%2F', '&lt;'], ['\\\\x3c', '%2D'], ['&#60;', '&amp;']]) {
      for (let gap = 0; gap < 60; gap++) {
        const text = `${'p'.repeat(120)}a${first}b${'m'.repeat(gap)}c${second}d${'w'.repeat(120)}`;
        const read = readEscapedJoiners(text);
        if (read === null) throw new Error(text);
        const stretches = stretchesAroundEscapes(read);
        expect(stretches, text).toEqual(expectedStretches(read));
        gaps.add(String(stretches?.length));
      }
    }
    // Two stretches apart, and one where they met.
    expect([...gaps].sort()).toEqual(['1', '2']);
  });

  it('counts what a stretch made one with the last adds, where that tips the stretches past half the reading', () => {
    const outcomes = new Set<string>();
    for (let pad = 0; pad < 80; pad++) {
      for (const gap of [0, 3, 10, 20]) {
        const text = `${'p'.repeat(pad)}a%2Fb${'m'.repeat(gap)}c&lt;d${'w'.repeat(pad)}`;
        const read = readEscapedJoiners(text);
        if (read === null) throw new Error(text);
        const expected = expectedStretches(read);
        expect(stretchesAroundEscapes(read), text).toEqual(expected);
        if (read.escapes.at.length * MIN_PIECE_LENGTH * 4 <= read.text.length) outcomes.add(expected === null ? 'whole' : String(expected.length));
      }
    }
    // The two made one stretch, under half the reading and over it.
    expect([...outcomes].sort()).toEqual(['1', 'whole']);
  });

  it('searches the whole reading where escapes stand close all through it', () => {
    const dense = 'ab%2Fcd'.repeat(50);
    const read = readEscapedJoiners(dense);
    if (read === null) throw new Error('nothing read');
    expect(stretchesAroundEscapes(read)).toBeNull();
    const sparse = readEscapedJoiners(`${'ab%2Fcd'}${'x'.repeat(400)}${'ab%2Fcd'}${'y'.repeat(400)}`);
    if (sparse === null) throw new Error('nothing read');
    expect(stretchesAroundEscapes(sparse)).toHaveLength(2);
  });
});

describe('readEscapedJoiners: an escape of a marker read on with what follows it', () => {
  it('reads an escape escaped again, by the same encoder or another, at any depth', () => {
    const read: Array<[string, string | null]> = [
      ['a&amp;lt;b', 'a<b'], ['a&amp;amp;lt;b', 'a<b'], ['a&amp;amp;amp;lt;b', 'a<b'], ['a&amp;amp;amp;amp;lt;b', 'a<b'],
      ['a&#38;lt;b', 'a<b'], ['a&#x26;#60;b', 'a<b'], ['a\\u0026lt;b', 'a<b'], ['a%26lt%3Bb', 'a<b'], ['a%26quot;b', 'a"b'],
      ['a%5Cu003cb', 'a<b'], ['a%255Cx3cb', 'a<b'], ['a&#37;3Cb', 'a<b'],
      // A JSON string inside a JSON string doubles the backslash each time: 4, 8 or 16 read; 5 are two backslashes and an escape, read too.
      [`a${'\\'.repeat(4)}u003cb`, 'a<b'], [`a${'\\'.repeat(8)}x3cb`, 'a<b'], [`a${'\\'.repeat(5)}x3cb`, 'a<b'], [`a${'\\'.repeat(16)}x3cb`, 'a<b'],
      // A marker's escape with no escape after it reads as the marker, as before: "&" is a joiner.
      ['a&amp;b', 'a&b'], ['a&amp;zz;b', 'a&zz;b'], ['a%25zz', null],
      // Spaces on both sides, as the piece search passes over `a < b`.
      ['a &amp;lt; b', 'a < b'],
    ];
    for (const [text, reading] of read) expect(readEscapedJoiners(text)?.text ?? null, text).toBe(reading);
  });
});

// Rows from the mutation run of lines 81-235 (docs/mutation-testing.md): each fails with its mutant planted by hand.
describe('readEscapedJoiners: what a reference\'s parts must be to be read', () => {
  it('reads a "#" or ";" percent-encoded only after an "&" that was too (a URL encoder writes them as it wrote the "&")', () => {
    expect(readEscapedJoiners('a&%2345;b')).toBeNull();
    expect(readEscapedJoiners('a&%23x2d;b')).toBeNull();
    // The reference ends at its digits or its name: the ";" is a joiner's escape of its own.
    expect(readEscapedJoiners('x&#65%3Bb')?.text).toBe('xA;b');
    expect(readEscapedJoiners('a&sol%3Bb')?.text).toBe('a&sol;b');
  });

  it('reads a reference to no ASCII character (no digit, 128, 0x80) as no escape: its "&" stands in the run as a joiner', () => {
    expect(readEscapedJoiners('a&lt;&#;b')?.text).toBe('a&b');
    expect(readEscapedJoiners('a&lt;&#128;b')?.text).toBe('a&128;b');
    expect(readEscapedJoiners('a&lt;&#x80;b')?.text).toBe('a&x80;b');
    // 127 is ASCII (DEL, no joiner: the run ends and nothing is read); 45 a joiner read with the run.
    expect(readEscapedJoiners('a&lt;&#127;b')).toBeNull();
    expect(readEscapedJoiners('a&lt;&#45;b')?.text).toBe('a<b');
  });

  it('counts toward the bound of three only the levels whose own text holds a marker, not those a marker follows', () => {
    // Five levels: `\u005c`, `u005c`, `\u005c`, `u005c`, `\u002d`; two hold a backslash.
    expect(readEscapedJoiners('a\\u005cu005c\\u005cu005c\\u005cu002db')?.text).toBe('a-b');
  });

  it('reads an escape of a letter just after a backslash, which is no escape of the backslash\'s own', () => {
    expect(readEscapedJoiners('a\\%41b')?.text).toBe('a\\Ab');
    expect(readEscapedJoiners('a\\&#65;b')?.text).toBe('a\\Ab');
  });

  it('reads joiners as they stand back to the end of the escape read last, and no further: not into its ";"', () => {
    expect(readEscapedJoiners('x&#65;-\\u002db')?.text).toBe('xA-b');
  });
});
