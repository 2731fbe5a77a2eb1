import { describe, expect, it } from 'vitest';
import { holdsHidden, readHidden } from '../../src/upstream/invisible-characters.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * Attacks on the scrubber's second reading (escaped whitespace and invisible characters): provider
 * text with such escapes and no secret comes through as it was, long hostile text is read to the
 * end, and a secret hidden by two of the new escapes at once is found whole.
 */
const secrets = new SecretSet();
for (const secret of ['nightowlpassword', 'correct horse battery', 'Dnb7Kq8Rw2Zx4LmT']) secrets.add(secret);

const MIB = 1 << 20;
/** `unit` repeated to `length` characters. */
const filled = (unit: string, length: number): string => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);

describe('the second reading: text without a secret comes through as it was', () => {
  const ORDINARY = [
    'https://backups.example/a%20b/c%E2%80%AFd?q=e%2Fd&f=%25&g=%2500%20off',
    '<p>VM&nbsp;one &amp; two&nbsp;</p><b>&shy;&#8203;&#160;&nbsp</b>',
    'C:\\x64\\tools\\xfer\\new\\x20\\x00data',
    'C:\\\\Users\\\\xavier\\\\a0\\\\x20',
    'web-01\u200b\u00ad &#8203; \\u{200b} \\u{20} \\xe2\\x80\\x8b \\xc2\\xa0',
    'caf\\xc3\\xa9 \\xe2\\x80\\x94 &#00000000000000000009; &#x0000000020',
    'nightowl &nbsp; day&nbsp;owl &shy; pass\\x00 port',
    'correct&nbsp;horse and a battery',
    'Dnb7&#8203;Kq8 and Zx4\\x20LmT elsewhere',
    '\\\\\\\\\\x20\\\\\\u{a0}%%%&&&&#;&#x;',
  ];

  it.each(ORDINARY)('%s', (text) => {
    expect(secrets.scrub(text)).toBe(text);
  });

  it('a VM name holding each escape the reading reads, and no secret, is kept as it was', () => {
    const escapes = ['&nbsp;', '&nbsp', '&#32;', '&#x20;', '&#160;', '\\x20', '\\xa0', '\\xc2\\xa0', '\\u{20}', '\\\\u0020', '%E2%80%AF', '&#8203;', '&shy;', '&zwj;', '\\x00', '\\xe2\\x80\\x8b', '%2500', '%E2%80%8B', '\u200b'];
    for (const escape of escapes) {
      const name = `backup${escape}vm-01 of night${escape}owl`;
      expect(secrets.scrub(name)).toBe(name);
    }
  });
});

describe('the second reading: long hostile text is read to the end', () => {
  const SHAPES: Record<string, (length: number) => string> = {
    'zeros after &#': (length) => `&#${'0'.repeat(length)}99`,
    'zeros after \\u{': (length) => `\\u{${'0'.repeat(length)}`,
    '&# repeated': (length) => filled('&#', length),
    '&#x0 repeated': (length) => filled('&#x0', length),
    '&nbsp repeated': (length) => filled('&nbsp', length),
    'backslashes': (length) => filled('\\', length),
    '\\x repeated': (length) => filled('\\x', length),
    'UTF-8 lead bytes as \\x': (length) => filled('\\xe2\\x80', length),
    'percent-encoded twice, cut short': (length) => filled('%25E2%2580', length),
    'zero-width space between letters': (length) => filled('a\u200b', length),
    'pieces of secrets between escapes': (length) => filled('night&shy;owl\\x00pass&nbsp;Dnb7&#8203;Kq8 ', length),
  };

  it.each(Object.keys(SHAPES))('%s: 5 MiB checked and read, 1 MiB scrubbed', (shape) => {
    const make = SHAPES[shape] as (length: number) => string;
    const large = make(5 * MIB);
    holdsHidden(large);
    const reading = readHidden(large);
    expect(reading.places.length).toBe(reading.text.length);
    expect(reading.ends.length).toBe(reading.text.length);
    const text = make(MIB);
    expect(typeof secrets.scrub(text)).toBe('string');
  }, 120_000);
});

describe('the second reading: a secret hidden by two of its escapes at once', () => {
  const MIXED = [
    'key night&shy;\\x00owlpassword!',
    'key night&#8203;%E2%80%8Bowlpassword!',
    'key Dnb7Kq8&nbsp;\\u{200b}Rw2Zx4LmT!',
    'key night\\xc2\\xad&zwj;owlpassword!',
    'key correct&nbsp;\\x00horse\\u{20}battery!',
    'key correct%E2%80%AF&shy;horse battery!',
    'key Dnb7Kq8\\\\u{200b}&#173;Rw2Zx4LmT!',
    'key Dnb7Kq8\\u00ad\\x20Rw2Zx4LmT!',
    'key Dnb7Kq8&#xAD\\u{a0}Rw2Zx4LmT!',
    'key Dnb7\\xe2\\x80\\x8b&NoBreak;Kq8Rw2Zx4LmT!',
    'key night\\u200b&#8203;\\x00%00&shy;owlpassword!',
    'key correct\\u{a0}&#9;horse%E2%80%AF\\xc2\\xa0battery!',
    'key nightowl%2500&#160;password!',
    'key NIGHT\\xa0OWL&ZeroWidthSpace;pass%25E2%2580%258Bword!',
  ];

  it.each(MIXED)('%s', (text) => {
    expect(secrets.scrub(text)).toBe('key [redacted]!');
  });
});

/** JSON encoders that escape "&" (Go's encoding/json by default) write an HTML reference `\u0026nbsp;`. */
describe('the second reading: an HTML reference whose "&" JSON escaped', () => {
  const HIDDEN = [
    'key nightowl\\u0026nbsp;password!',
    'key night\\u0026shy;owlpassword!',
    'key Dnb7Kq8\\u0026#8203;Rw2Zx4LmT!',
    'key Dnb7Kq8\\u0026#x20;Rw2Zx4LmT!',
    'key correct\\\\u0026nbsp;horse battery!',
    'key night\\u0026zwj;owl\\u0026ensp;password!',
  ];

  it.each(HIDDEN)('%s: found whole', (text) => {
    expect(secrets.scrub(text)).toBe('key [redacted]!');
  });

  it('leaves such references alone where they make no secret', () => {
    for (const text of ['{"name":"web\\u0026nbsp;01 \\u0026amp; \\u0026shy;x"}', 'night\\u0026nbsp;owl and a password']) expect(secrets.scrub(text)).toBe(text);
  });
});
