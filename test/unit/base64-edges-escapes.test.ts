import { describe, expect, it } from 'vitest';
import { Base64Edges } from '../../src/upstream/base64-edges.js';

/**
 * `Base64Edges.widened` reading a span's ends through escapes, as the piece search reads them. The secret of
 * base64-edges-widened.test.ts after one byte 0x0b: "C+BEbmI3S3E4UncyWng=", the head edge "+" beside "BEbm",
 * the tail edge "g" after "cyWn", then one "=". Mutation testing (2026-12-07) left the escape paths alive.
 */
const SECRET = Buffer.concat([Buffer.from([0xe0]), Buffer.from('Dnb7Kq8Rw2Zx')]);
const BASE64 = 'C+BEbmI3S3E4UncyWng=';
const edges = new Base64Edges([SECRET]);
/** The secret whose base64 after the byte 0x0b is `encoded` (its first two characters "Cw": 0x0b's bits). */
const secretOf = (encoded: string): Buffer => Buffer.from(encoded, 'base64').subarray(1);

/** `BASE64` quoted with `head` after its third character and `tail` before its 18th; the span of the secret's own characters, and that span widened. */
function cut(head: string, tail: string): { text: string; span: [number, number]; widened: [number, number] } {
  const text = `a "${BASE64.slice(0, 3)}${head}${BASE64.slice(3, 17)}${tail}${BASE64.slice(17)}" b`;
  const end = 3 + 18 + head.length + tail.length;
  return { text, span: [5, end], widened: [4, end + 2] };
}

describe('Base64Edges.widened through escapes', () => {
  it('passes over whitespace written as an escape among a span\'s first and last characters', () => {
    expect(Buffer.concat([Buffer.from([0x0b]), SECRET]).toString('base64')).toBe(BASE64);
    for (const escape of ['\\n', '\\r', '\\t', '\\f', '\\v', '%09', '%0A', '%0a', '%0B', '%0b', '%0C', '%0c', '%0D', '%0d', '%20']) {
      const { text, span, widened } = cut(escape, escape);
      expect(edges.widened(text, [span]), escape).toEqual([widened]);
    }
  });

  it('reads what is no whitespace escape as it stands: its letters and digits are no base64 of the secret', () => {
    for (const other of ['\\b', '\\a', '\\N', '%0E', '%0e', '%08', '%0G', '%00', '%19', '%1A', '%2G', '%21x']) {
      const { text, span } = cut(other, other);
      expect(edges.widened(text, [span]), other).toEqual([span]);
    }
  });

  it('reads escapes of the secret\'s letters, two at either end, as those letters', () => {
    const text = `a "C+B%45&#98;${BASE64.slice(5, 15)}\\u0079%57${BASE64.slice(17)}" b`;
    const end = text.indexOf('n', text.indexOf('%57'));
    expect(edges.widened(text, [[5, end + 1]])).toEqual([[4, end + 3]]);
    // An escape of another letter ("F" for "E"; "X" for "W") is read as that letter: no edge beside it.
    const other = `a "C+B%46&#98;${BASE64.slice(5, 15)}\\u0079%58${BASE64.slice(17)}" b`;
    const otherEnd = other.indexOf('n', other.indexOf('%58'));
    expect(edges.widened(other, [[5, otherEnd + 1]])).toEqual([[5, otherEnd + 1]]);
  });

  it('reads base64\'s own punctuation beside a span\'s ends in either alphabet, "/" and "_" escaped too', () => {
    const encoded = 'CwA/BCDEFGHIJKL/MNE=';
    const own = new Base64Edges([secretOf(encoded)]);
    expect(own.widened(`a "${encoded}" b`, [[5, 21]])).toEqual([[4, 23]]);
    const escaped = `a "CwA%2FBCDEFGHIJKL%2FMNE=" b`;
    expect(own.widened(escaped, [[5, 25]])).toEqual([[4, 27]]);
    const url = encoded.replaceAll('/', '_');
    expect(own.widened(`a "${url}" b`, [[5, 21]])).toEqual([[4, 23]]);
    expect(own.widened(`a "CwA%5FBCDEFGHIJKL%5FMNE=" b`, [[5, 25]])).toEqual([[4, 27]]);
    // "+" is "-" in the URL-safe alphabet: a joiner the piece search passes over, read as base64's own beside an edge.
    const plus = new Base64Edges([secretOf('CwA+BCDEFGHIJKL+MNE=')]);
    expect(plus.widened(`a "CwA+BCDEFGHIJKL+MNE=" b`, [[5, 21]])).toEqual([[4, 23]]);
    expect(plus.widened(`a "CwA-BCDEFGHIJKL-MNE=" b`, [[5, 21]])).toEqual([[4, 23]]);
  });

  it('reads "0A", "20" and the like among the secret\'s characters as characters, no percent sign before them', () => {
    const encoded = 'Cw20ABCDEFGHIJKL0AE=';
    const own = new Base64Edges([secretOf(encoded)]);
    expect(own.widened(`a "${encoded}" b`, [[5, 21]])).toEqual([[4, 23]]);
  });

  it('reads a span\'s own characters only: four of them are enough, three are not, and none past its end is read', () => {
    const text = `a "${BASE64}" b`;
    expect(edges.widened(text, [[17, 21]])).toEqual([[17, 23]]);
    expect(edges.widened(text, [[18, 21]])).toEqual([[18, 21]]);
    expect(edges.widened(text, [[5, 9]])).toEqual([[4, 9]]);
    expect(edges.widened(text, [[5, 8]])).toEqual([[5, 8]]);
  });

  it('takes no edge past the text\'s end, and none before a secret at a whole character', () => {
    expect(edges.widened(BASE64.slice(0, 18), [[2, 18]])).toEqual([[1, 18]]);
    const aligned = SECRET.toString('base64');
    expect(aligned).toBe('4ERuYjdLcThSdzJaeA==');
    expect(edges.widened(aligned, [[1, 17]])).toEqual([[1, 20]]);
  });
});
