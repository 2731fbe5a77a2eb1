import { describe, expect, it } from 'vitest';
import { readHidden } from '../../src/upstream/invisible-characters.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/** A secret split 7 and 7 by a hole no other search crosses: the reading alone finds it whole. */
const KEY = 'Dnb7KqxRw2Zx4L';

const scrubbedBy = (secret: string, text: string): string => {
  const secrets = new SecretSet();
  secrets.add(secret);
  return secrets.scrub(text);
};

/**
 * The hidden-character reading's `\xNN` bytes, as a byte string's repr writes them: another
 * character's UTF-8 kept whole (its last byte may be a Latin-1 control's: `\xc3\xad` is "í", `\xad`
 * alone the soft hyphen), escaped whitespace's UTF-8 read as one space; and an escape read where
 * an "x" stands just before its backslash.
 */
describe("readHidden: `\\xNN` bytes and an escape after an 'x'", () => {
  it("keeps another character's UTF-8 whole, so a text showing a different word is left alone", () => {
    for (const text of ['a\\xc3\\xadb', 'a%5Cxc3%5Cxadb', 'a\\\\xe2\\\\x82\\\\xacb']) {
      const read = readHidden(text);
      expect(read.text, text).toBe(text);
      expect([...read.places], text).toEqual([...text].map((_, at) => at));
    }
    // "nightowlípassword" is not the secret "nightowlpassword"; the Latin-1 soft hyphen alone hides it.
    expect(scrubbedBy('nightowlpassword', 'name nightowl\\xc3\\xadpassword end')).toBe('name nightowl\\xc3\\xadpassword end');
    expect(scrubbedBy('nightowlpassword', 'name nightowl\\xadpassword end')).toBe('name [redacted] end');
  });

  it("reads escaped whitespace's UTF-8 as one space standing for the whole escape", () => {
    const nbsp = readHidden('a\\xc2\\xa0b');
    expect(nbsp.text).toBe('a b');
    expect([...nbsp.places]).toEqual([0, 1, 9]);
    expect([...nbsp.ends]).toEqual([1, 9, 10]);
    expect(readHidden('a%5Cxe2%5Cx80%5Cx83b').text).toBe('a b');
  });

  it("reads an escape of an invisible character out where an 'x' stands before its backslash, and the secret it splits is redacted", () => {
    for (const escape of ['\\u{200b}', '\\u{0}', '\\U0000200b', '\\u200b', '\\b']) {
      const text = `ax${escape}y`;
      const read = readHidden(text);
      expect(read.text, escape).toBe('axy');
      expect([...read.places], escape).toEqual([0, 1, text.length - 1]);
      const out = scrubbedBy(KEY, `key ${KEY.slice(0, 7)}${escape}${KEY.slice(7)} end`);
      expect(out, escape).toBe('key [redacted] end');
    }
  });
});
