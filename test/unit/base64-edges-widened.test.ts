import { describe, expect, it } from 'vitest';
import { Base64Edges } from '../../src/upstream/base64-edges.js';

/**
 * `Base64Edges.widened` asked directly. The secret: 0xE0 then "Dnb7Kq8Rw2Zx" (13 bytes). Written
 * after one byte of other text ("\x0b" = 0b00001011: its low 2 bits 11), the base64 of the 14 bytes
 * is 20 characters and "=": the first holds the other byte alone, the second its 2 low bits and the
 * secret's first 4 (0b111110 = 62: "+", or "-" in the URL-safe alphabet), the 3rd to the 18th the
 * secret's alone, the 19th its last 4 bits and 2 of padding zeros, then the padding "=". The piece
 * search finds the 3rd to the 18th; widened takes the edge characters beside them and the padding.
 */
const SECRET = Buffer.concat([Buffer.from([0xe0]), Buffer.from('Dnb7Kq8Rw2Zx')]);
const encoded = (alphabet: 'base64' | 'base64url'): string => Buffer.concat([Buffer.from([0x0b]), SECRET]).toString(alphabet);
const edges = new Base64Edges([SECRET]);

describe('Base64Edges.widened', () => {
  it('takes the character holding the secret\'s first bits before a span, the one holding its last after it, and the padding', () => {
    const base64 = encoded('base64');
    expect(base64).toHaveLength(20);
    expect(base64.slice(1, 2)).toBe('+');
    const text = `a "${base64}" b`;
    const start = 3 + 2;
    const end = 3 + 18;
    expect(edges.widened(text, [[start, end]])).toEqual([[start - 1, end + 2]]);
  });

  it('reads the URL-safe alphabet as well ("-" where the standard one has "+")', () => {
    const url = encoded('base64url');
    expect(url.slice(1, 2)).toBe('-');
    const text = `a "${url}=" b`;
    expect(edges.widened(text, [[5, 21]])).toEqual([[4, 23]]);
  });

  it('takes no character the secret\'s bits do not allow there, nor beside a span that does not end in the secret\'s characters', () => {
    const base64 = encoded('base64');
    // "A" (0) holds none of the secret's first bits (1110); "B" after the span (1) none of its last.
    const wrongEdges = `a "${base64.slice(0, 1)}A${base64.slice(2, 18)}B=" b`;
    expect(edges.widened(wrongEdges, [[5, 21]])).toEqual([[5, 21]]);
    // A span one character short at either end ends in no character the edges stand beside.
    const text = `a "${base64}" b`;
    expect(edges.widened(text, [[6, 20]])).toEqual([[6, 20]]);
  });

  it('reads a span\'s end through escapes of joiners, and leaves spans with nothing to take as they were', () => {
    const base64 = encoded('base64');
    // A joiner's escape among the secret's last characters (the piece search reads past it).
    const cut = `${base64.slice(0, 16)}\\u002d${base64.slice(16)}`;
    const text = `a "${cut}" b`;
    expect(edges.widened(text, [[5, 27]])).toEqual([[4, 29]]);
    expect(edges.widened('nothing here', [])).toEqual([]);
    expect(new Base64Edges([]).widened(text, [[5, 27]])).toEqual([[5, 27]]);
    expect(new Base64Edges([]).isEmpty).toBe(true);
    expect(edges.isEmpty).toBe(false);
  });

  it('reads the first NEAR letters and digits of a span as they are, any letter or digit counted, not only the secret\'s', () => {
    const base64 = encoded('base64');
    const near = base64.slice(2, 6);
    // A letter or digit of each kind that is none of the four the edge stands beside, put second.
    for (const range of ['0123456789', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz']) {
      for (const other of [[...range].find((char) => !near.includes(char)), [...range].findLast((char) => !near.includes(char))] as string[]) {
        const text = `a "${base64.slice(0, 3)}${other}${base64.slice(3)}" b`;
        expect(edges.widened(text, [[5, 22]]), other).toEqual([[5, 24]]);
      }
    }
    // Punctuation there is passed over, as the piece search passes over it.
    for (const other of ['.', '~']) {
      const text = `a "${base64.slice(0, 3)}${other}${base64.slice(3)}" b`;
      expect(edges.widened(text, [[5, 22]]), other).toEqual([[4, 24]]);
    }
    // The edge's own character at the span's start, the characters after it not the secret's.
    const text = `a "${base64.slice(0, 3)}zzzz" b`;
    expect(edges.widened(text, [[5, 10]])).toEqual([[5, 10]]);
  });

  it("joins a span the last one's widened end reaches past, and keeps two that merely touch", () => {
    const base64 = encoded('base64');
    const text = `a "${base64}" b`;
    // The second span starts inside the first one's padding: one span.
    expect(edges.widened(text, [[5, 21], [22, 24]])).toEqual([[4, 24]]);
    // The first span ends where the second starts: two, the second's edge not taken over the first.
    expect(edges.widened(text, [[1, 5], [5, 21]])).toEqual([[1, 5], [5, 23]]);
  });

  it('takes the padding the secret\'s length calls for and no more, an edge at the text\'s start, and nothing after a secret ending on a whole character', () => {
    const base64 = encoded('base64');
    expect(edges.widened(`a "${base64}===" b`, [[5, 21]])).toEqual([[4, 23]]);
    // The edge character first in the text.
    expect(edges.widened(`${base64.slice(1)}" b`, [[1, 17]])).toEqual([[0, 19]]);
    // Two bytes before the secret: 15 bytes, 20 characters, the last whole the secret's; a letter after it is other text.
    const aligned = Buffer.concat([Buffer.from([0x0b, 0x0b]), SECRET]).toString('base64');
    expect(aligned).toHaveLength(20);
    expect(edges.widened(`a "${aligned}Q" b`, [[6, 23]])).toEqual([[5, 23]]);
  });

  it('takes an edge that is base64\'s own "/" or "_" beside a run of them, each alphabet read as its own', () => {
    // Four bytes 0xFF: "/////w" ("_____w" URL-safe), the 6th character holding the secret's last 2 bits.
    // Followed by a fifth 0xFF, that character is "/" ("_"): the secret's bits all the same.
    const ones = new Base64Edges([Buffer.alloc(4, 0xff)]);
    expect(Buffer.alloc(5, 0xff).toString('base64')).toBe('//////8=');
    expect(ones.widened('a "//////8=" b', [[3, 8]])).toEqual([[3, 9]]);
    expect(ones.widened('a "______8" b', [[3, 8]])).toEqual([[3, 9]]);
    // Each alphabet's own: "_" after "////" and "/" after "____" are other text.
    expect(ones.widened('a "/////_8" b', [[3, 8]])).toEqual([[3, 8]]);
    expect(ones.widened('a "_____/8" b', [[3, 8]])).toEqual([[3, 8]]);
  });
});
