import { describe, expect, it } from 'vitest';
import { readEscapedJoiners } from '../../src/upstream/escaped-joiners.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * A run of punctuation between two pieces of a secret with an escape in it and a space inside
 * (`\u002d \u002d`, `&lt; %3C`, `- &lt;`), or punctuation escaped by a backslash (a regex's or a
 * shell's `\-`, `\\-\\ \\-` in a JSON string): the reading of escaped joiners read a run of them
 * only with nothing between and a backslash before `x`, `u` or `U` only, the piece search passes
 * over no joiner beside another, and 7 characters stayed on either side (cut every 7, the whole
 * secret went out). Each run is read as one joiner.
 */
const SECRET = 'Dnb7Kq8Rw2Zx4LmTpQ';
const secrets = new SecretSet();
secrets.add(SECRET);

const split = (between: string): string => `key ${SECRET.slice(0, 7)}${between}${SECRET.slice(7)}!`;
const cutEverySeven = (between: string): string => `key ${SECRET.slice(0, 7)}${between}${SECRET.slice(7, 14)}${between}${SECRET.slice(14)}!`;

const SPACED_RUNS = ['\\u002d \\u002d', '\\u002d  \\u002d', '&lt; &lt;', '%3C %3C', '&lt; %3C', '%2F\t%2F', '\\\\u002d \\\\u002d', '\\u002d\\n\\u002d', '&lt; &gt; &lt;'];
const MIXED_RUNS = ['- &lt;', '-&lt;', '&lt; -', '\\u002d-', '-\\u002d', '-- \\u002d', '- - %2D', '\\u002d -- %2F', '%2D / %2F'];
const BACKSLASHED = ['\\-', '\\\\-', '\\/', '\\-\\ \\-', '\\\\-\\\\ \\\\-', '\\- \\-', '\\u002d \\- %2D', '\\\\\\u002d', '\\\\\\\\\\\\\\u002d'];

describe('a run of escaped punctuation with a space inside, or punctuation escaped by a backslash, between pieces of a secret', () => {
  it.each(SPACED_RUNS)('redacts the secret split by %j', (between) => {
    expect(secrets.scrub(split(between))).toBe('key [redacted]!');
    expect(secrets.scrub(cutEverySeven(between))).toBe('key [redacted]!');
  });

  it.each(MIXED_RUNS)('redacts the secret split by %j (an escape and punctuation as it stands)', (between) => {
    expect(secrets.scrub(split(between))).toBe('key [redacted]!');
  });

  it.each(BACKSLASHED)('redacts the secret split by %j', (between) => {
    expect(secrets.scrub(split(between))).toBe('key [redacted]!');
  });

  it('reads each run as one joiner where the escape stood, and the places back to the text', () => {
    expect(readEscapedJoiners('Dnb7Kq8\\u002d \\u002dRw2')?.text).toBe('Dnb7Kq8-Rw2');
    // Read as its first joiner as it stands: one a secret holds stays where the secret has it.
    expect(readEscapedJoiners('Dnb7Kq8- &lt;Rw2')?.text).toBe('Dnb7Kq8-Rw2');
    expect(readEscapedJoiners('Dnb7Kq8&lt; - Rw2')?.text).toBe('Dnb7Kq8- Rw2');
    expect(readEscapedJoiners('Dnb7Kq8\\-\\ \\-Rw2')?.text).toBe('Dnb7Kq8-Rw2');
    expect(readEscapedJoiners('a %2F - b')?.text).toBe('a - b');
    expect(readEscapedJoiners('a %2F %3C b')?.text).toBe('a / b');
    // A run ending in a joiner a secret holds keeps it (`-` of a UUID after an escaped `;`).
    expect(readEscapedJoiners('x%3B-77b4')?.text).toBe('x-77b4');
    // An escape of a letter after the spaces ends the run, and is read as the letter.
    expect(readEscapedJoiners('Dnb7Kq8%2D %4Bq8')?.text).toBe('Dnb7Kq8- Kq8');
    expect(readEscapedJoiners('Dnb7Kq8%2D &amp;x')?.text).toBe('Dnb7Kq8-x');
  });

  it('reads a space or two inside a run and any number of joiners as they stand before its escape, no more spaces', () => {
    expect(readEscapedJoiners('a%2F  %2Fb')?.text).toBe('a/b');
    expect(readEscapedJoiners('a%2F   %2Fb')).toBeNull();
    expect(readEscapedJoiners('a%2F \\t%2Fb')?.text).toBe('a/b');
    expect(readEscapedJoiners('a----\\u002db')?.text).toBe('a-b');
    expect(readEscapedJoiners('a-----\\u002db')?.text).toBe('a-b');
    expect(readEscapedJoiners('a- - \\u002db')?.text).toBe('a-b');
    expect(readEscapedJoiners('a-   \\u002db')).toBeNull();
    expect(readEscapedJoiners('%41-\\u002db')?.text).toBe('A-b');
    expect(readEscapedJoiners('%41 - \\u002db')?.text).toBe('A -b');
    // A run ends where no joiner follows its spaces, at the text's end too.
    expect(readEscapedJoiners('a%2F%2F ')).toBeNull();
    expect(readEscapedJoiners('a%2F -')).toBeNull();
  });

  it('redacts such a run in an answer scrubbed a piece per turn', async () => {
    const rows = Array.from({ length: 300 }, (_, index) => `{"id":${index},"name":"vm-${index}"}`);
    rows[200] = `{"id":200,"name":"${cutEverySeven('\\\\u002d \\\\u002d')}"}`;
    const text = `[${rows.join(',')}]`;
    const scrubbed = await secrets.scrubAnswer(text, { charsPerTurn: 512 });
    expect(scrubbed).toBe(secrets.scrub(text));
    expect(scrubbed).toContain('"name":"key [redacted]!"');
  });

  it('leaves such runs where they make no secret, and 7 characters of one, as they came (a guard)', () => {
    for (const text of ['a &lt; %3C b', 'x - &lt; y', 'C:\\-\\ path', 'Dnb7Kq8 \\u002d \\u002d xyz', 'Tom &amp; - Jerry', '1 \\- 2 \\/ 3']) {
      expect(secrets.scrub(text), text).toBe(text);
    }
  });
});
