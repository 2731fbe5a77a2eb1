import { describe, expect, it } from 'vitest';
import { notUtf8TextProblem } from '../../src/config/not-utf8-text.js';

/**
 * Which NUL-holding text is called UTF-16: only one that starts as UTF-16 does (a BOM read as two
 * U+FFFD, or four letters each with a NUL after or before it). A NUL elsewhere, or one letter and
 * a NUL at the start, is "NUL bytes": the remedy for UTF-16 (save it as UTF-8) would not help.
 */
const UTF16 = /^the file is UTF-16 text/;
const NUL = /^the file holds NUL bytes/;
const TEXT = 'allowAnonymous: true\nproviders: []\n';

describe('notUtf8TextProblem', () => {
  it('UTF-16 little-endian without a BOM is UTF-16', () => {
    expect(notUtf8TextProblem(Buffer.from(TEXT, 'utf16le').toString('utf8'))).toMatch(UTF16);
  });

  it('letters each beside a NUL past the start are NUL bytes, not UTF-16', () => {
    expect(notUtf8TextProblem(`${TEXT}note: a\u0000b\u0000c\u0000d\u0000e\n`)).toMatch(NUL);
  });

  it('one letter and a NUL at the start, either way round, then plain text, are NUL bytes', () => {
    expect(notUtf8TextProblem(`x\u0000${TEXT}`)).toMatch(NUL);
    expect(notUtf8TextProblem(`\u0000${TEXT}`)).toMatch(NUL);
  });

  it('text without a NUL is no problem (guard)', () => {
    expect(notUtf8TextProblem(TEXT)).toBeNull();
  });
});

describe('notUtf8TextProblem, UTF-16 as it arrives', () => {
  it('calls UTF-16 a text starting with its BOM read as two U+FFFD, and one of big-endian letters (a NUL before each)', () => {
    expect(notUtf8TextProblem('\ufffd\ufffd#\u0000 \u0000')).toMatch(UTF16);
    expect(notUtf8TextProblem('\u0000k\u0000e\u0000y\u0000s')).toMatch(UTF16);
    expect(notUtf8TextProblem('\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000')).toMatch(NUL);
  });
});
