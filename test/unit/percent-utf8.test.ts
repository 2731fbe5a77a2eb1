import { describe, expect, it } from 'vitest';
import { readEscapes } from '../../src/upstream/escape-reading.js';
import { decodesAsUtf8, percentCodePointAt } from '../../src/upstream/percent-utf8.js';

/** What decodesAsUtf8 stands in for. */
const decodeURIComponentReads = (text: string): boolean => {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
};

const hex = (byte: number): string => `%${byte.toString(16).padStart(2, '0')}`;

describe('decodesAsUtf8 (whether decodeURIComponent reads a text, without its throw)', () => {
  it('agrees with decodeURIComponent on every lead and second byte, alone, with one and with two continuations after, and reads the same character', () => {
    for (let lead = 0; lead < 256; lead++) {
      for (let second = 0; second < 256; second++) {
        for (const text of [`${hex(lead)}${hex(second)}`, `${hex(lead)}${hex(second)}%80`, `${hex(lead)}${hex(second)}%BF%8f`, `${hex(lead).toUpperCase()}x${hex(second)}`]) {
          if (decodesAsUtf8(text) !== decodeURIComponentReads(text)) expect.fail(`${text}: decodeURIComponent ${decodeURIComponentReads(text) ? 'reads' : 'refuses'} it`);
        }
        // The character the escapes at the start make, as decodeURIComponent reads the sequence alone.
        const sequence = `${hex(lead)}${hex(second)}%80%80`.slice(0, lead >= 0xf0 ? 12 : lead >= 0xe0 ? 9 : lead >= 0xc0 ? 6 : 3);
        const expected = decodeURIComponentReads(sequence) ? (decodeURIComponent(sequence).codePointAt(0) as number) : -1;
        if (percentCodePointAt(`${sequence}%41`, 0) !== expected) expect.fail(`${sequence}: ${expected}, not ${percentCodePointAt(sequence, 0)}`);
      }
    }
  });

  it('agrees with decodeURIComponent on texts mixing escapes, cut ones and other characters', () => {
    const tokens = ['%', '%2', '%zz', '%g1', '%41', '%25', '%c3', '%A9', '%e2', '%80', '%8B', '%ED', '%a0', '%f0', '%9F', '%F4', '%90', '%C0', '%ff', 'a', 'é', '\ud800', ' '];
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let round = 0; round < 20000; round++) {
      let text = '';
      for (let count = next() % 7; count >= 0; count--) text += tokens[next() % tokens.length];
      expect(decodesAsUtf8(text), JSON.stringify(text)).toBe(decodeURIComponentReads(text));
    }
  });

  it('reads a stretch of %XX escapes as decodeURIComponent reads each UTF-8 sequence of it, keeping each byte of none as written', () => {
    /** The reading as it was: each escape's sequence handed to decodeURIComponent, kept as written where it threw. */
    const readEachSequence = (stretch: string): string => {
      let read = '';
      for (let at = 0; at < stretch.length; ) {
        if (stretch[at] !== '%') {
          read += stretch[at++];
          continue;
        }
        const lead = parseInt(stretch.slice(at + 1, at + 3), 16);
        const sequence = stretch.slice(at, at + 3 * (lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1));
        const decoded = decodeURIComponentReads(sequence) ? decodeURIComponent(sequence) : null;
        read += decoded ?? stretch.slice(at, at + 3);
        at += decoded === null ? 3 : sequence.length;
      }
      return read;
    };
    const tokens = ['%41', '%c3', '%A9', '%e2', '%80', '%8B', '%ED', '%a0', '%f0', '%9F', '%98', '%F4', '%90', '%C0', '%ff', 'a', ' '];
    let seed = 11;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let round = 0; round < 5000; round++) {
      let stretch = '%e2';
      for (let count = next() % 9; count >= 0; count--) stretch += tokens[next() % tokens.length];
      expect(readEscapes(stretch), JSON.stringify(stretch)).toBe(readEachSequence(stretch));
    }
  });

  it('leaves what the scrubber reads as it was: runs of bytes that are no UTF-8 stay as written, escape by escape', () => {
    expect(readEscapes('%25E2%2580'.repeat(3))).toBe('%E2%80'.repeat(3));
    expect(readEscapes('%E2%80'.repeat(3))).toBe('%E2%80'.repeat(3));
    expect(readEscapes('%E2%80%E2%80%8B%41')).toBe('%E2%80\u200bA');
  });
});
