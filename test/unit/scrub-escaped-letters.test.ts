import { describe, expect, it } from 'vitest';
import { readEscapedJoiners, spansInSource } from '../../src/upstream/escaped-joiners.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * A piece of a secret written as escapes of its letters and digits (`%44%6E%62%37%4B%71%38%52` is
 * "Dnb7Kq8R" to a URL's reader): the piece search read the text as it stands, the search through
 * escapes looked only for whole secrets, and the piece went out; so did a second half written
 * `%5A%78%34LmTpQ` after a redacted first half. The piece search now reads an escape of a letter or
 * digit wherever it stands (escaped-joiners.ts), and the whole escaped run is redacted.
 */
const SECRET = 'Dnb7Kq8Rw2Zx4LmTpQ';
const GROUPED = 'AbCd-EfGh-1234-5678';

const secrets = new SecretSet();
secrets.add(SECRET);
secrets.add(GROUPED);

const hex = (code: number, width: number): string => code.toString(16).padStart(width, '0');
/** A letter or digit as each kind of escape writes it. */
const WRITERS: Array<[string, (code: number) => string]> = [
  ['%XX', (code) => `%${hex(code, 2).toUpperCase()}`],
  ['%xx', (code) => `%${hex(code, 2)}`],
  ['&#xXX;', (code) => `&#x${hex(code, 2)};`],
  ['&#NN;', (code) => `&#${code};`],
  ['&#NN', (code) => `&#${code}`],
  ['\\u00XX', (code) => `\\u${hex(code, 4)}`],
  ['\\xXX', (code) => `\\x${hex(code, 2)}`],
  ['%25XX', (code) => `%25${hex(code, 2)}`],
  ['&amp;#NN;', (code) => `&amp;#${code};`],
];
const written = (text: string, write: (code: number) => string, every = 1): string => [...text].map((char, at) => (at % every === 0 ? write(char.charCodeAt(0)) : char)).join('');

describe('readEscapedJoiners: escapes of letters and digits', () => {
  it('reads an escape of a letter or digit wherever it stands, and traces a span back to the escapes whole', () => {
    const read = readEscapedJoiners('"%44%6E%62%37"');
    expect(read?.text).toBe('"Dnb7"');
    if (read === null) throw new Error('nothing read');
    expect(spansInSource(read, [[1, 5]])).toEqual([[1, 13]]);
    expect(readEscapedJoiners('x &#68;&#x6e;\\u0062\\x37 y')?.text).toBe('x Dnb7 y');
  });

  it('reads a joiner escaped between escapes of letters', () => {
    expect(readEscapedJoiners('%44%6E&lt;%62%37')?.text).toBe('Dn<b7');
    expect(readEscapedJoiners('&#68;&#110;%2F&#98;')?.text).toBe('Dn/b');
  });

  it('reads no escape of anything else: a text without one of a letter or digit reads as before', () => {
    for (const text of ['a %20 b', '{"a":"b\\nc"}', 'x &amp;', '%E2%80%8B', '&#1060;', '\\u00e9', '%7F', 'a%2Gb']) expect(readEscapedJoiners(text), text).toBeNull();
  });
});

describe('the scrubber finds a piece of a secret written as escapes of its letters', () => {
  it.each(WRITERS)('redacts 8 characters of a secret each written as %s, and the escapes whole', (_name, write) => {
    const piece = SECRET.slice(0, 8);
    expect(secrets.scrub(`label ${written(piece, write)} end`)).toBe('label [redacted] end');
    expect(secrets.scrub(`{"note":"${written(SECRET.slice(5, 13), write)}"}`)).toBe('{"note":"[redacted]"}');
  });

  // `&#NN` without ";" before a digit reads the digit on: `&#1138` is one character, no "q8".
  it.each(WRITERS.filter(([name]) => name !== '&#NN'))('redacts a piece with every other letter written as %s', (_name, write) => {
    expect(secrets.scrub(`x ${written(SECRET.slice(3, 11), write, 2)} y`)).toBe('x [redacted] y');
  });

  it('redacts a second half written in escapes after a first half plain', () => {
    expect(secrets.scrub(`first ${SECRET.slice(0, 10)} then %5A%78%34LmTpQ`)).toBe('first [redacted] then [redacted]');
    expect(secrets.scrub(`${SECRET.slice(0, 10)} and &#x5a;&#x78;&#x34;LmTpQ`)).toBe('[redacted] and [redacted]');
  });

  it('redacts a piece whose escaped letters are joined by an escaped joiner, and a grouped key written so', () => {
    expect(secrets.scrub('a %44%6E%62%37&lt;%4B%71%38%52 b')).toBe('a [redacted] b');
    expect(secrets.scrub('key &#65;bCd-EfGh-&#49;234 end')).toBe('key [redacted] end');
  });

  it('leaves escapes of letters that are no piece of a secret, and 7 characters of one', () => {
    for (const text of ['%41%42%43%44%45%46%47%48', 'Q%3D%41%42', `${written(SECRET.slice(0, 7), WRITERS[0]![1])} end`]) expect(secrets.scrub(text), text).toBe(text);
  });

  it('scrubs a long answer a piece per turn as it scrubs it whole', async () => {
    const rows = Array.from({ length: 120 }, (_, index) => `{"id":${index},"name":"vm-${index}"}`);
    rows.splice(30, 0, `{"d":"${written(SECRET.slice(0, 8), WRITERS[0]![1])}"}`);
    rows.splice(70, 0, `{"d":"x,${written(SECRET.slice(8, 16), WRITERS[3]![1])},y"}`);
    rows.splice(100, 0, '{"d":"%4b,%718Rw2Zx4L"}');
    const text = `[${rows.join(',')}]`;
    const whole = secrets.scrub(text);
    expect(whole.match(/\[redacted\]/g)).toHaveLength(3);
    for (const charsPerTurn of [16, 40, 200]) expect(await secrets.scrubAnswer(text, { charsPerTurn }), String(charsPerTurn)).toBe(whole);
  });
});
