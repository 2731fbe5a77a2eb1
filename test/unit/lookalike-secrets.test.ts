import { describe, expect, it } from 'vitest';
import { lookalikeAnchor, lookalikePatterns, wordsOf } from '../../src/upstream/lookalike-secrets.js';
import { REDACTED, SecretSet } from '../../src/upstream/secrets.js';

const fullWidth = (text: string): string => [...text].map((char) => (char >= '!' && char <= '~' ? String.fromCharCode(char.charCodeAt(0) + 0xfee0) : char)).join('');
/** Whether any of `patterns` finds `text` whole. */
const finds = (patterns: RegExp[], text: string): boolean => patterns.some((pattern) => new RegExp(`^(?:${pattern.source})$`, 'u').test(text));

describe('lookalikePatterns: what the scrubber finds of a secret, and what it leaves', () => {
  it('makes no pattern for a secret shorter than the least searched, nor for one of whitespace alone', () => {
    expect(lookalikePatterns('abcde', 6)).toEqual([]);
    expect(lookalikePatterns(' \n\t ', 6)).toEqual([]);
    expect(wordsOf('  \n ')).toEqual([]);
  });

  it('finds a short mixed-case secret full-width as written, all in capitals and all in small letters, and in no other mix', () => {
    const patterns = lookalikePatterns('Backup', 6);
    for (const form of ['Ｂａｃｋｕｐ', 'ＢＡＣＫＵＰ', 'ｂａｃｋｕｐ']) expect(finds(patterns, form)).toBe(true);
    expect(finds(patterns, 'ｂＡｃＫｕＰ')).toBe(false);
  });

  it('finds a secret of 8 characters in any mix of case', () => {
    const secrets = new SecretSet();
    secrets.add('Abcdefg1');
    expect(secrets.scrub('key aBCDEFg1 refused')).toBe(`key ${REDACTED} refused`);
  });

  it('reads a letter past ASCII as itself and its other case only, never as an "S" ("ß" upper-cases to "SS")', () => {
    const patterns = lookalikePatterns('Straße-Köln-42', 6);
    expect(finds(patterns, 'STRAßE-KÖLN-４２')).toBe(true);
    expect(finds(patterns, 'StraSe-Köln-42')).toBe(false);
    expect(finds(patterns, 'Straße-KSln-42')).toBe(false);
  });

  it('reads a "+" as a space between words, but not beside a word\'s own "+" (where it would make the pattern ambiguous)', () => {
    expect(finds(lookalikePatterns('key word-42', 6), 'key+word-42')).toBe(true);
    for (const secret of ['key+ word-42', 'key +word-42']) {
      const patterns = lookalikePatterns(secret, 6);
      expect(finds(patterns, secret.replace(' ', '\n'))).toBe(true);
      expect(finds(patterns, 'key++word-42')).toBe(false);
    }
  });
});

describe('lookalikeAnchor', () => {
  it('is the secret\'s longest run of letters, digits and "-._", in lookalike letters of any case; null when it has none', () => {
    const anchor = lookalikeAnchor('defghij!abc');
    expect(anchor?.test('ｄＥＦｇＨＩＪ')).toBe(true);
    expect(anchor?.test('ＡＢＣ abc')).toBe(false);
    expect(lookalikeAnchor('!!! ???')).toBeNull();
  });

  it('of a 16 KiB session token (one run of hex) compiles: an answer with an escape in it is scrubbed, not a throw', () => {
    const secrets = new SecretSet();
    const secret = 'a1b2c3d4e5f6'.repeat(1_366).slice(0, 16 * 1024);
    secrets.addRuntime(secret);
    expect(secrets.scrub(`{"detail":"session ${secret} expired\\u0021"}`)).toBe(`{"detail":"session ${REDACTED} expired\\u0021"}`);
  });

  it('has an answer read through escapes where only its full-width letters show it: the rest, behind escapes of punctuation, is scrubbed too', () => {
    const secrets = new SecretSet();
    secrets.add('abc!defghij');
    expect(secrets.scrub(`{"detail":"key abc\\u0021${fullWidth('DEFGHIJ')} refused"}`)).toBe(`{"detail":"key ${REDACTED} refused"}`);
  });
});
