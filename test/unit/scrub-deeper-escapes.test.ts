import { describe, expect, it } from 'vitest';
import { holdsHidden, readHidden } from '../../src/upstream/invisible-characters.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * What the scrubber's second reading (invisible-characters.ts, escaped-whitespace.ts) left unread:
 * its escapes nested one level deeper (`&amp;nbsp;`, `&#x26;shy;`, a URL encoded three times,
 * `%5Cx00`: a backslash escape inside a URL), the "&" of a reference written as `&amp` with no ";"
 * (browsers read it), an invisible character where a multi-word secret has its space, and raw
 * whitespace past ASCII inside a secret of letters and digits. Each let a secret out whole or but
 * for the hole.
 */
const LETTERS = 'nightowlpassword';
const WORDS = 'correct horse battery';
const MIXED = 'Dnb7Kq8Rw2Zx4LmT';

const secrets = new SecretSet();
for (const secret of [LETTERS, WORDS, MIXED]) secrets.add(secret);

/** An HTML reference's "&" escaped once more: as HTML, with ";" or without (browsers read `&amp` and `&#38` so), and as HTML inside JSON. */
const AMPERSANDS = ['&amp;', '&amp', '&AMP;', '&AMP', '&#38;', '&#38', '&#x26;', '&#X26;', '&#x26', '&#0038;', '\\u0026amp;', '&amp;amp;'];
/** What such a reference is of: whitespace, and invisible characters. */
const WHITESPACE_REFERENCES = ['nbsp;', 'nbsp', '#160;', '#x20;', 'ensp;', 'Tab;'];
const INVISIBLE_REFERENCES = ['shy;', 'shy', '#8203;', '#x200B;', 'zwnj;', 'ZeroWidthSpace;'];

/** Whitespace and invisible characters percent-encoded two and three times, and a backslash escape of them percent-encoded (once or twice). */
const DEEPER_SPACES = ['%2520', '%250A', '%25C2%25A0', '%25E2%2580%25AF', '%252520', '%2525C2%2525A0', '%2525E2%252580%2525AF', '%5Cx20', '%5cxa0', '%5Cu00a0', '%5Cxc2%5Cxa0', '%255Cx20', '%5Cu0020', '\\u00a0', '\\u2007', '\\u202F', '\\u3000'];
const DEEPER_INVISIBLES = ['%252500', '%25251B', '%2525E2%252580%25258B', '%2525C2%2525AD', '%5Cx00', '%5cx1b', '%5Cu200b', '%5Cu00ad', '%5Cxe2%5Cx80%5Cx8b', '%255Cx00', '%255Cu200B'];

/** Invisible characters as they stand and escaped: in place of the space between a secret's words. */
const INVISIBLES_AS_SPACE = ['\u200b', '\u00ad', '\u2060', '\ufeff', '\u0001', '&#8203;', '&shy;', '&zwj;', '\\u200b', '\\x00', '%E2%80%8B', '\\xe2\\x80\\x8b'];

/** Whitespace past ASCII as it stands (each `\s` is with the u flag). */
const RAW_SPACES = ['\u00a0', '\u1680', '\u2000', '\u2003', '\u2007', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000'];

describe('the scrubber reads the second reading\'s escapes nested deeper', () => {
  it.each(AMPERSANDS)('finds a secret split by an HTML reference of whitespace whose "&" is written %s', (ampersand) => {
    for (const reference of WHITESPACE_REFERENCES) {
      // A hex "&" without ";" takes a hex letter after it as its own (`&#x26e`): no reference of "&" there.
      if (/[0-9a-fA-F]$/.test(ampersand) && ampersand.includes('x') && /^[a-fA-F]/.test(reference)) continue;
      const space = `${ampersand}${reference}`;
      expect(secrets.scrub(`key ${MIXED.slice(0, 7)}${space}${MIXED.slice(7)}!`), space).toBe('key [redacted]!');
      expect(secrets.scrub(`key nightowl${space}password!`), space).toBe('key [redacted]!');
      expect(secrets.scrub(`key correct${space}horse battery!`), space).toBe('key [redacted]!');
    }
  });

  it.each(AMPERSANDS)('finds a secret with an HTML reference of an invisible character inside whose "&" is written %s', (ampersand) => {
    for (const reference of INVISIBLE_REFERENCES) {
      const invisible = `${ampersand}${reference}`;
      expect(secrets.scrub(`key ${MIXED.slice(0, 7)}${invisible}${MIXED.slice(7)}!`), invisible).toBe('key [redacted]!');
      expect(secrets.scrub(`key night${invisible}owlpassword!`), invisible).toBe('key [redacted]!');
    }
  });

  it.each(DEEPER_SPACES)('finds a secret split by %s', (space) => {
    expect(secrets.scrub(`key ${MIXED.slice(0, 7)}${space}${MIXED.slice(7)}!`)).toBe('key [redacted]!');
    expect(secrets.scrub(`key nightowl${space}password!`)).toBe('key [redacted]!');
    expect(secrets.scrub(`key correct${space}horse battery!`)).toBe('key [redacted]!');
  });

  it.each(DEEPER_INVISIBLES)('finds a secret with %s inside it', (invisible) => {
    expect(secrets.scrub(`key ${MIXED.slice(0, 7)}${invisible}${MIXED.slice(7)}!`)).toBe('key [redacted]!');
    expect(secrets.scrub(`key night${invisible}owlpassword!`)).toBe('key [redacted]!');
  });

  it('leaves those escapes alone where they make no secret, and text without them unread', () => {
    for (const text of ['a &amp;nbsp; b &#x26;shy; %252520 %5Cx00 %5Cx20 night&amp;nbsp;owl', 'Dnb7%252500Kq8 and Rw2Zx4', '&ampnbsp; &amp; &AMP &#38;#160;']) expect(secrets.scrub(text)).toBe(text);
    // A hex reference of "&" without ";" ends where its hex digits end: `&#x26e` is another character.
    expect(readHidden('a&#x26ensp;b').text).toBe('a&#x26ensp;b');
    for (const text of ['&amp; &lt;b&gt; %2541 %5C %5Cx41 %2525 %252541 %5Cn', 'a\\u0026amp; b']) expect(holdsHidden(text), text).toBe(false);
  });
});

describe('the scrubber reads an invisible character in place of the space between a secret\'s words', () => {
  it.each(INVISIBLES_AS_SPACE)('finds a multi-word secret with %s for a space', (invisible) => {
    expect(secrets.scrub(`key correct${invisible}horse battery!`)).toBe('key [redacted]!');
    expect(secrets.scrub(`key correct${invisible}horse${invisible}battery!`)).toBe('key [redacted]!');
    // Still read as nothing inside a word.
    expect(secrets.scrub(`key cor${invisible}rect horse${invisible}battery!`)).toBe('key [redacted]!');
  });

  it('leaves them alone where they make no secret', () => {
    for (const text of ['correct\u200bhorse and a battery', 'a\u200bb &shy; correct horse\u00adbatter']) expect(secrets.scrub(text)).toBe(text);
  });
});

describe('the scrubber reads raw whitespace past ASCII inside a secret of letters and digits', () => {
  it.each(RAW_SPACES.map((space) => [`U+${space.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`, space]))('finds a secret split by %s', (_name, space) => {
    expect(secrets.scrub(`key ${MIXED.slice(0, 7)}${space}${MIXED.slice(7)}!`)).toBe('key [redacted]!');
    expect(secrets.scrub(`key Dnb7${space}Kq8R${space}w2Zx4${space}LmT!`)).toBe('key [redacted]!');
    expect(secrets.scrub(`key nightowl${space}password!`)).toBe('key [redacted]!');
    expect(secrets.scrub(`key correct${space}horse battery!`)).toBe('key [redacted]!');
  });

  it('reads it as one space, knows where it stands, and leaves text without a secret as it was', () => {
    const { text, places, ends } = readHidden('a\u00a0b\u3000\u200bc');
    expect(text).toBe('a b c');
    expect([...places]).toEqual([0, 1, 2, 3, 5]);
    expect([...ends]).toEqual([1, 2, 3, 4, 6]);
    for (const text of ['VM\u00a0one \u2007 42\u202f%', 'Dnb7\u00a0Kq8 and Rw2Z']) expect(secrets.scrub(text)).toBe(text);
  });

  it('redacts them as scrubbed whole when a large answer is scrubbed a piece per turn', async () => {
    const rows = Array.from({ length: 100 }, (_, index) => `{"id":${index},"name":"vm-${index}"}`);
    rows.splice(20, 0, '{"d":"key Dnb7Kq8\u00a0Rw2Zx4LmT"}');
    rows.splice(40, 0, '{"d":"key nightowl&amp;nbsp;password"}');
    rows.splice(60, 0, '{"d":"key Dnb7Kq8%252500Rw2Zx4LmT"}');
    rows.splice(80, 0, '{"d":"key correct\u200bhorse battery"}');
    const text = `[${rows.join(',')}]`;
    const whole = secrets.scrub(text);
    expect(whole.match(/\[redacted\]/g)).toHaveLength(4);
    expect(await secrets.scrubAnswer(text, { charsPerTurn: 200 })).toBe(whole);
  });
});
