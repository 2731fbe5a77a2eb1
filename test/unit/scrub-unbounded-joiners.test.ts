import { describe, expect, it } from 'vitest';
import { readEscapedJoiners } from '../../src/upstream/escaped-joiners.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * A secret cut every 7 characters by a joiner escaped deeper than the search through escapes reads
 * (`%252525252D`: five URL encodings; `&amp;amp;amp;amp;lt;`; 16 backslashes or more before
 * `\u002d`, JSON five strings deep), or by more than four joiners as they stand before an escape of
 * one (`-----\u002d`): the reading of escaped joiners stopped at a bound (three markers escaped,
 * seven backslashes doubled, four joiners back) and 7 characters stayed on either side, the whole
 * secret in three pieces. Read now at any depth and any length, each run once.
 */
const SECRET = 'Dnb7Kq8Rw2Zx4LmTpQ';
const secrets = new SecretSet();
secrets.add(SECRET);

const cutEverySeven = (between: string): string => `key ${SECRET.slice(0, 7)}${between}${SECRET.slice(7, 14)}${between}${SECRET.slice(14)}!`;
const backslashes = (count: number): string => '\\'.repeat(count);

const DEEPER = [
  '%252525252D',
  '%25252525252525252D',
  '%252525252F',
  '&amp;amp;amp;amp;lt;',
  '&amp;amp;amp;amp;amp;amp;#45;',
  '%2525252526lt%252525253B',
  `${backslashes(16)}u002d`,
  `${backslashes(17)}u002d`,
  `${backslashes(32)}x2d`,
  `${backslashes(9)}u002d`,
  `${backslashes(15)}u002d`,
];
const PLAIN_BEFORE = ['-----\\u002d', '-------------%2D', '- - - - - &lt;', '/./././%2F', '-----\\-', '~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\\u007e'];

describe('a secret cut by joiners escaped deeper than four readings, or by a long run of joiners before an escape', () => {
  it.each(DEEPER)('redacts the secret cut every 7 characters by %j', (between) => {
    expect(secrets.scrub(cutEverySeven(between))).toBe('key [redacted]!');
  });

  it.each(PLAIN_BEFORE)('redacts the secret cut every 7 characters by %j', (between) => {
    expect(secrets.scrub(cutEverySeven(between))).toBe('key [redacted]!');
  });

  it('reads each such escape or run as one joiner', () => {
    expect(readEscapedJoiners('a%252525252Db')?.text).toBe('a-b');
    expect(readEscapedJoiners('a&amp;amp;amp;amp;lt;b')?.text).toBe('a<b');
    expect(readEscapedJoiners(`a${backslashes(16)}u002db`)?.text).toBe('a-b');
    expect(readEscapedJoiners(`a${backslashes(100)}u0041b`)?.text).toBe('aAb');
    expect(readEscapedJoiners('a----------\\u002db')?.text).toBe('a-b');
    expect(readEscapedJoiners('a- - - - - - %2Fb')?.text).toBe('a-b');
  });

  it('reads a backslash escaped as deep as the escape after it is (`\\u005cu005c...u002d`)', () => {
    expect(readEscapedJoiners('a\\u005cu005cu005cu005cu005cu002db')?.text).toBe('a-b');
  });

  it('leaves deep escapes and long runs that make no secret as they came (a guard)', () => {
    for (const text of [
      'a %252525252D b',
      `C:${backslashes(20)}path`,
      `${backslashes(40)}`,
      'Tom &amp;amp;amp;amp;amp; Jerry',
      '%2525252525252525',
      'Dnb7Kq8 ------ \\u002d xyz',
      'x -------- &lt; y',
    ]) {
      expect(secrets.scrub(text), text).toBe(text);
    }
  });

  it('redacts such a cut in an answer scrubbed a piece per turn', async () => {
    const rows = Array.from({ length: 300 }, (_, index) => `{"id":${index},"name":"vm-${index}"}`);
    rows[200] = `{"id":200,"name":"${cutEverySeven('%252525252D')}"}`;
    rows[250] = `{"id":250,"name":"${cutEverySeven(`${backslashes(16)}u002d`)}"}`;
    const text = `[${rows.join(',')}]`;
    const scrubbed = await secrets.scrubAnswer(text, { charsPerTurn: 512 });
    expect(scrubbed).toBe(secrets.scrub(text));
    expect(scrubbed).toContain('"id":200,"name":"key [redacted]!"');
    expect(scrubbed).toContain('"id":250,"name":"key [redacted]!"');
  });
});
