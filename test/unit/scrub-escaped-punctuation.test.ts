import { describe, expect, it } from 'vitest';
import { readEscapedJoiners, spansInSource } from '../../src/upstream/escaped-joiners.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * Punctuation written as an escape between a secret's pieces (escaped-joiners.ts): the piece
 * search read none, and each left 7 characters of the secret beside it, whether the secret holds
 * no such punctuation (`Dnb7Kq8&lt;Rw2Zx4LmT`) or holds it and was quoted split as well
 * (`Dnb7&lt;Kq8Rw2 Zx4&quot;LmT` for `Dnb7<Kq8Rw2Zx4"LmT`: "Dnb7" and "LmT" stayed).
 */
const MIXED = 'Dnb7Kq8Rw2Zx4LmT';
const PUNCTUATED = 'Dnb7<Kq8Rw2Zx4"LmT';
const GROUPED = 'AbCd-EfGh-1234-5678';

const secrets = new SecretSet();
for (const secret of [MIXED, PUNCTUATED, GROUPED]) secrets.add(secret);

/** "<" and '"' as HTML, a URL, JSON and a literal write them. */
const ESCAPED_LESS_THAN = ['&lt;', '&LT;', '&lt', '&#60;', '&#060;', '&#x3c;', '&#X3C;', '%3C', '%3c', '\\u003c', '\\u003C', '\\x3c'];
const ESCAPED_QUOTE = ['&quot;', '&QUOT;', '&quot', '&#34;', '&#x22;', '%22', '\\u0022', '\\x22'];
/** Other punctuation a key's groups may be joined with, escaped. */
const ESCAPED_OTHERS = ['&#45;', '&#x2d;', '%2D', '\\u002d', '&sol;', '%2F', '&period;', '&colon;', '%3A', '&amp;', '%26', '\\u0026', '&lowbar;', '&commat;', '%40'];

describe('the scrubber reads punctuation escaped between a secret\'s pieces', () => {
  it('scrubs an answer where a name every object inherits stands as a reference between letters', () => {
    expect(secrets.scrub(`x&constructor;y ${MIXED}`)).toBe('x&constructor;y [redacted]');
  });

  it.each(ESCAPED_LESS_THAN)('finds a secret of letters and digits with %s inside it', (escape) => {
    expect(secrets.scrub(`key ${MIXED.slice(0, 7)}${escape}${MIXED.slice(7)}!`)).toBe('key [redacted]!');
    expect(secrets.scrub(`key ${MIXED.slice(0, 9)}${escape}${MIXED.slice(9)}!`)).toBe('key [redacted]!');
  });

  it.each(ESCAPED_QUOTE)('finds a secret of letters and digits with %s inside it', (escape) => {
    expect(secrets.scrub(`key ${MIXED.slice(0, 4)}${escape}${MIXED.slice(4)}!`)).toBe('key [redacted]!');
  });

  it.each(ESCAPED_OTHERS)('finds a key in groups joined by %s', (escape) => {
    expect(secrets.scrub(`key ${GROUPED.replaceAll('-', escape)}!`)).toBe('key [redacted]!');
    expect(secrets.scrub(`key ${MIXED.slice(0, 7)}${escape}${MIXED.slice(7)}!`)).toBe('key [redacted]!');
  });

  it('finds a secret holding punctuation quoted with it escaped and split as well', () => {
    for (const [less, quote] of [['&lt;', '&quot;'], ['%3C', '%22'], ['\\u003c', '\\u0022'], ['&#60;', '&#34;']]) {
      expect(secrets.scrub(`key Dnb7${less}Kq8Rw2 Zx4${quote}LmT!`), less).toBe('key [redacted]!');
      expect(secrets.scrub(`key Dnb7${less}Kq8Rw2\nZx4${quote}LmT!`), less).toBe('key [redacted]!');
    }
  });

  it('leaves escaped punctuation alone where it makes no secret, and fewer than 8 characters of one', () => {
    for (const text of ['a &lt;b&gt; c%2Fd e\\u003cf &amp; g&quot;h', 'Dnb7Kq8&lt;xyz and Rw2Zx4', 'AbCd&#45;EfX', 'https://x/a%2Fb?c=1&amp;d=2']) expect(secrets.scrub(text), text).toBe(text);
  });

  it('reads only escapes of punctuation with a letter or digit on either side (past a space or two on either side), and traces what it finds back to them whole', () => {
    expect(readEscapedJoiners('a&lt;   b (%3C   c&#x7F;d e%20f')).toBeNull();
    // Punctuation as it stands beside the escape is read with it, as one joiner (scrub-spaced-joiner-runs.test.ts).
    expect(readEscapedJoiners('a&lt;   b (%3C) c')?.text).toBe('a&lt;   b ( c');
    expect(readEscapedJoiners('a &quot; b (%3C)   c&#x7F;d e%20f   &lt;g')).toBeNull();
    // Spaces on both sides too, as the piece search passes over `a < b`.
    expect(readEscapedJoiners('a &lt; b')?.text).toBe('a < b');
    // A joiner's escape with a space or two on one side, and a run of them, is read as the piece search passes over a joiner so.
    expect(readEscapedJoiners('a &lt;b c%3C&lt;d e&amp;  f')?.text).toBe('a <b c<d e&  f');
    const read = readEscapedJoiners('xy&lt;z%2Fw\\u0022v');
    expect(read?.text).toBe('xy<z/w"v');
    // "<z/" in the reading is "&lt;z%2F" in the text, '"v' is "\u0022v"; "y" before them is itself.
    if (read === null) throw new Error('nothing read');
    expect(spansInSource(read, [[1, 2], [2, 5], [6, 8]])).toEqual([[1, 2], [2, 10], [11, 18]]);
  });

  it('redacts them as scrubbed whole when a large answer is scrubbed a piece per turn', async () => {
    const rows = Array.from({ length: 100 }, (_, index) => `{"id":${index},"name":"vm-${index}"}`);
    rows.splice(20, 0, '{"d":"key Dnb7Kq8&lt;Rw2Zx4LmT"}');
    rows.splice(50, 0, '{"d":"key Dnb7%3CKq8Rw2 Zx4%22LmT"}');
    rows.splice(80, 0, '{"d":"key AbCd\\u002dEfGh\\u002d1234\\u002d5678"}');
    const text = `[${rows.join(',')}]`;
    const whole = secrets.scrub(text);
    expect(whole.match(/\[redacted\]/g)).toHaveLength(3);
    expect(whole).not.toMatch(/Dnb7|LmT|AbCd|5678/);
    expect(await secrets.scrubAnswer(text, { charsPerTurn: 200 })).toBe(whole);
  });
});
