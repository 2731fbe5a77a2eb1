import { describe, expect, it } from 'vitest';
import { readEscapes } from '../../src/upstream/escape-reading.js';
import { decodesAsUtf8 } from '../../src/upstream/percent-utf8.js';

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
  it('agrees with decodeURIComponent on every lead and second byte, alone, with one and with two continuations after', () => {
    for (let lead = 0; lead < 256; lead++) {
      for (let second = 0; second < 256; second++) {
        for (const text of [`${hex(lead)}${hex(second)}`, `${hex(lead)}${hex(second)}%80`, `${hex(lead)}${hex(second)}%BF%8f`, `${hex(lead).toUpperCase()}x${hex(second)}`]) {
          if (decodesAsUtf8(text) !== decodeURIComponentReads(text)) expect.fail(`${text}: decodeURIComponent ${decodeURIComponentReads(text) ? 'reads' : 'refuses'} it`);
        }
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

  it('leaves what the scrubber reads as it was: runs of bytes that are no UTF-8 stay as written, escape by escape', () => {
    expect(readEscapes('%25E2%2580'.repeat(3))).toBe('%E2%80'.repeat(3));
    expect(readEscapes('%E2%80'.repeat(3))).toBe('%E2%80'.repeat(3));
    expect(readEscapes('%E2%80%E2%80%8B%41')).toBe('%E2%80\u200bA');
  });
});
