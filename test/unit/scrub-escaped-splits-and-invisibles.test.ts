import { describe, expect, it } from 'vitest';
import { holdsHidden, readHidden } from '../../src/upstream/invisible-characters.js';
import { SecretSet } from '../../src/upstream/secrets.js';
import { splitWordWork } from '../../src/upstream/split-word-search.js';

/**
 * Whitespace and invisible characters written in escapes the scrubber did not read: a secret split
 * by `\x20`, `\u{20}`, `&nbsp;`, `&#32;`, `&#x20;`, `&#160;` or `%E2%80%AF`, or with an invisible
 * character inside it written `&#8203;`, `&zwnj;`, `&shy;`, `\x00`, `\xe2\x80\x8b` or
 * `%25E2%2580%258B`, went out whole or in part.
 */
const LETTERS = 'nightowlpassword';
const WORDS = 'correct horse battery';
const MIXED = 'Dnb7Kq8Rw2Zx4LmT';

const secrets = new SecretSet();
for (const secret of [LETTERS, WORDS, MIXED]) secrets.add(secret);

/** Whitespace as each escape writes it; with one backslash and with two (a JSON string holding the literal). */
const ESCAPED_SPACES = [
  '\\x20', '\\xa0', '\\xA0', '\\x09', '\\x0a', '\\x2b', '\\xc2\\xa0', '\\xe2\\x80\\x83', '\\xe2\\x80\\xaf', '\\xe3\\x80\\x80', '\\xe1\\x9a\\x80',
  '\\u{20}', '\\u{a0}', '\\u{00A0}', '\\u{2003}', '\\u{202f}', '\\u{3000}', '\\u{9}',
  '\\\\x20', '\\\\xc2\\\\xa0', '\\\\u{20}', '\\\\u0020', '\\\\u00a0',
  '&#32;', '&#32', '&#0032;', '&#x20;', '&#X20;', '&#xa0;', '&#xA0;', '&#160;', '&#8239;', '&#x202F;', '&#12288;', '&#10;', '&#43;',
  '&nbsp;', '&nbsp', '&NonBreakingSpace;', '&ensp;', '&emsp;', '&emsp13;', '&thinsp;', '&hairsp;', '&numsp;', '&MediumSpace;', '&ThickSpace;', '&Tab;', '&NewLine;', '&plus;',
  '%E2%80%AF', '%e2%80%af', '%E2%80%Af',
];

/** An invisible character as each escape writes it. */
const ESCAPED_INVISIBLES = [
  '&#8203;', '&#8203', '&#x200B;', '&#x200b;', '&#X200D;', '&#x0200B;', '&#173;', '&#xAD;', '&#1;', '&#0;', '&#127;', '&#x7F;', '&#65279;', '&#xFEFF;', '&#8206;', '&#x202E;', '&#8297;', '&#917505;', '&#xE0041;', '&#65533;',
  '&zwnj;', '&zwj;', '&shy;', '&shy', '&lrm;', '&rlm;', '&ZeroWidthSpace;', '&NegativeThinSpace;', '&NoBreak;', '&it;', '&InvisibleTimes;',
  '\\x00', '\\x01', '\\x1b', '\\x7f', '\\x85', '\\xad', '\\xAD', '\\xc2\\xad', '\\xc2\\x85', '\\xe2\\x80\\x8b', '\\xE2\\x80\\x8F', '\\xe2\\x81\\xa0', '\\xef\\xbb\\xbf', '\\xd8\\x9c', '\\xf3\\xa0\\x80\\x81',
  '\\\\x00', '\\\\xe2\\\\x80\\\\x8b', '\\\\u200b', '\\u{200b}', '\\u{0000AD}', '\\u{e0041}', '\\\\u{feff}',
  '%2500', '%251B', '%25E2%2580%258B', '%25e2%2580%258b', '%25C2%25AD', '%25EF%25BB%25BF', '%25F3%25A0%2580%2581',
];

describe('the scrubber reads whitespace and invisible characters in the escapes it did not read', () => {
  it.each(ESCAPED_SPACES)('finds a secret split by %s, as it finds it split by a space', (space) => {
    expect(secrets.scrub(`key nightowl${space}password!`)).toBe('key [redacted]!');
    expect(secrets.scrub(`key NIGHT${space}OWL${space}pass${space}word!`)).toBe('key [redacted]!');
    expect(secrets.scrub(`key correct${space}horse battery!`)).toBe('key [redacted]!');
    expect(secrets.scrub(`key Dnb7Kq8${space}Rw2Zx4LmT!`)).toBe('key [redacted]!');
  });

  it.each(ESCAPED_INVISIBLES)('finds a secret with %s inside it, whole', (invisible) => {
    expect(secrets.scrub(`key night${invisible}owlpassword!`)).toBe('key [redacted]!');
    expect(secrets.scrub(`key Dnb7Kq8${invisible}Rw2Zx4LmT!`)).toBe('key [redacted]!');
    expect(secrets.scrub(`key Dnb7${invisible}Kq8Rw2${invisible}Zx4LmT!`)).toBe('key [redacted]!');
  });

  it('finds them mixed with each other and the escapes read already, and leaves the rest of the text as it was', () => {
    expect(secrets.scrub('{"d":"a &amp; b: night&shy;owl&nbsp;pass\\\\x00word &#8212; caf\\\\xc3\\\\xa9"}')).toBe('{"d":"a &amp; b: [redacted] &#8212; caf\\\\xc3\\\\xa9"}');
    expect(secrets.scrub('u=https://x.example/?k=Dnb7%25E2%2580%258BKq8Rw2Zx4LmT&n=night%E2%80%AFowl%20password')).toBe('u=https://x.example/?k=[redacted]&n=[redacted]');
    expect(secrets.scrub('n\\x20i&#8203;g&nbsp;h\\u{a0}t\\u0020o%E2%80%AFw\nl&zwj;p a s s\\xe2\\x80\\x8bw o r d')).toBe('[redacted]');
  });

  it('leaves them alone where they make no secret, and their escapes of other characters unread', () => {
    for (const text of ['night&nbsp;owl and a password', 'Dnb7&#8203;Kq8 and Rw2Z', 'caf\\xc3\\xa9 \\xe2\\x80\\x94 \\u{1f600} &#39; &amp; %2541 %E2%80%94']) expect(secrets.scrub(text)).toBe(text);
    // An escape of a visible character is none: no second reading for it.
    for (const text of ['plain "json" with \\n, \\u00e9, \\\\ and \\/', 'a &amp; b &#39;c&#39; &lt;d&gt; &#8212; &#x41;', 'caf\\xc3\\xa9 \\x41 \\u{1f600}', 'q=%2541&r=%E2%80%94&s=%C2%A9']) {
      expect(holdsHidden(text), text).toBe(false);
    }
    // But for a `\xNN` character whose UTF-8 holds a byte that alone is a C1 control: read again, kept whole.
    expect(holdsHidden('\\xe2\\x80\\x94')).toBe(true);
    expect(readHidden('a\\xe2\\x80\\x94b').text).toBe('a\\xe2\\x80\\x94b');
  });

  it('reads each escape as what it stands for: an invisible character as nothing, whitespace as one space, and knows where each character read stands', () => {
    const { text, places, ends } = readHidden('a&nbsp;b&#8203;c\\xe2\\x80\\xafd\\xc3\\xa9e\\\\x00f%E2%80%AFg');
    expect(text).toBe('a bc d\\xc3\\xa9ef g');
    // Each space stands for its whole escape; a character kept, for itself.
    expect([...places]).toEqual([0, 1, 7, 15, 16, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 43, 44, 53]);
    expect([...ends]).toEqual([1, 7, 8, 16, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 44, 53, 54]);
  });

  it('reads every code point HTML and `\\u{...}` can write as the reading reads the character itself', () => {
    const invisible = /^(?:[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufffd]|\udb40[\udc00-\udc7f])$/;
    const space = (char: string): boolean => char === '+' || (char !== '\ufeff' && /^\s$/u.test(char));
    const wrong: string[] = [];
    const codePoints = [...Array.from({ length: 0x10000 }, (_, at) => at), ...Array.from({ length: 0x200 }, (_, at) => 0xe0000 + at)];
    for (const codePoint of codePoints) {
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
      const char = String.fromCodePoint(codePoint);
      const expected = invisible.test(char) ? 'az' : space(char) ? 'a z' : null;
      for (const escape of [`&#${codePoint};`, `&#x${codePoint.toString(16)};`, `&#X${codePoint.toString(16).toUpperCase()}`, `\\u{${codePoint.toString(16)}}`]) {
        const read = readHidden(`a${escape}z`).text;
        if (read !== (expected ?? `a${escape}z`)) wrong.push(`${escape}: ${JSON.stringify(read)}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 60_000);

  it('redacts them as scrubbed whole when a large answer is scrubbed a piece per turn', async () => {
    const rows = Array.from({ length: 100 }, (_, index) => `{"id":${index},"name":"vm-${index}"}`);
    rows.splice(30, 0, '{"d":"key nightowl&nbsp;password"}');
    rows.splice(60, 0, '{"d":"key Dnb7Kq8\\\\x00Rw2Zx4LmT"}');
    rows.splice(90, 0, '{"d":"key correct%E2%80%AFhorse battery"}');
    const text = `[${rows.join(',')}]`;
    const whole = secrets.scrub(text);
    expect(whole.match(/\[redacted\]/g)).toHaveLength(3);
    expect(await secrets.scrubAnswer(text, { charsPerTurn: 200 })).toBe(whole);
  });

  it('finishes long hostile answers made of them and of what starts them, with the secret found where it is and nothing else touched', () => {
    const session = new SecretSet();
    session.add(`${'a'.repeat(511)}b`);
    for (const hostile of [
      'a&nbsp;'.repeat(200_000),
      'a\\x20'.repeat(200_000),
      'a\\u{20}'.repeat(200_000),
      'a%E2%80%AF'.repeat(100_000),
      `&#${'0'.repeat(1_000_000)}`,
      `&#x${'0'.repeat(1_000_000)}`,
      `\\u{${'0'.repeat(1_000_000)}`,
      '\\'.repeat(1_000_000),
      '&#x0000'.repeat(200_000),
      '%25'.repeat(400_000),
      '\\xe2\\x80'.repeat(150_000),
      'a&shy;&'.repeat(150_000),
    ]) {
      const before = { ...splitWordWork };
      expect(session.scrub(hostile)).toBe(hostile);
      expect(splitWordWork.anchoredRuns - before.anchoredRuns).toBe(0);
    }
    const quoted = [...`${'a'.repeat(511)}b`].join('&nbsp;');
    expect(session.scrub(`${'a&nbsp;'.repeat(100_000)}x ${quoted} y`)).toBe(`${'a&nbsp;'.repeat(100_000)}x [redacted] y`);
  }, 120_000);
});
