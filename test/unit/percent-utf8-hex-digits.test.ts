import { describe, expect, it } from 'vitest';
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

describe('decodesAsUtf8: a "%" and two characters that are no hex digits', () => {
  it('agrees with decodeURIComponent for every ASCII character in either digit place', () => {
    for (let code = 0; code < 128; code++) {
      const char = String.fromCharCode(code);
      for (const text of [`%4${char}`, `%${char}1`, `%c3%a${char}`, `%c3%${char}9`]) {
        if (decodesAsUtf8(text) !== decodeURIComponentReads(text)) expect.fail(`${JSON.stringify(text)}: decodeURIComponent ${decodeURIComponentReads(text) ? 'reads' : 'refuses'} it`);
      }
    }
  });

  it('reads no character where a digit is none: "@" and "`" are no 9, "g" no 16', () => {
    for (const text of ['%4@', '%4`', '%0g', '%g0', '%/1', '%:1']) expect(percentCodePointAt(text, 0), text).toBe(-1);
    expect(percentCodePointAt('%4a', 0)).toBe(0x4a);
    expect(percentCodePointAt('%F0', 0)).toBe(-1);
  });
});
