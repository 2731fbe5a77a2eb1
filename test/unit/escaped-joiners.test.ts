import { describe, expect, it } from 'vitest';
import { readEscapedJoiners } from '../../src/upstream/escaped-joiners.js';

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
