import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../src/upstream/secrets.js';

const MIXED = 'Dnb7Kq8Rw2Zx4LmT';
const secrets = new SecretSet();
secrets.add(MIXED);

/**
 * The second reading's escapes nested deeper than it read them (invisible-characters.ts,
 * escaped-whitespace.ts): an HTML reference escaped three times over, one percent-encoded
 * (`%26nbsp%3B`), and whitespace or an invisible character percent-encoded four times. Each let a
 * secret out whole, or but for the hole.
 */
const DEEPER = ['&amp;amp;amp;nbsp;', '&amp;amp;amp;shy;', '&#38;amp;amp;#160;', '\\u0026amp;amp;amp;nbsp;', '%26nbsp%3B', '%26nbsp', '%26shy%3B', '%26%23160%3B', '%26#x200B;', '%2526nbsp%253B', '%26amp%3Bnbsp%3B', '%25252520', '%25252500', '%25252509', '%252525C2%252525A0', '%252525E2%25252580%2525258B'];

describe('the scrubber reads the second reading\'s escapes nested deeper still', () => {
  it.each(DEEPER)('finds a secret split by %s', (escape) => {
    expect(secrets.scrub(`key ${MIXED.slice(0, 7)}${escape}${MIXED.slice(7)}!`)).toBe('key [redacted]!');
    expect(secrets.scrub(`key ${MIXED.slice(0, 9)}${escape}${MIXED.slice(9)}!`)).toBe('key [redacted]!');
  });

  it('finds a letters-only secret split so', () => {
    const letters = new SecretSet();
    letters.add('nightowlpassword');
    for (const escape of DEEPER) expect(letters.scrub(`key nightowl${escape}password!`), escape).toBe('key [redacted]!');
  });

  it('redacts them as scrubbed whole when a large answer is scrubbed a piece per turn', async () => {
    const rows = Array.from({ length: 100 }, (_, index) => `{"id":${index},"name":"vm-${index}"}`);
    rows.splice(20, 0, '{"d":"key Dnb7Kq8&amp;amp;amp;nbsp;Rw2Zx4LmT"}');
    rows.splice(50, 0, '{"d":"key Dnb7Kq8%26nbsp%3BRw2Zx4LmT"}');
    rows.splice(80, 0, '{"d":"key Dnb7Kq8%25252500Rw2Zx4LmT"}');
    const text = `[${rows.join(',')}]`;
    const whole = secrets.scrub(text);
    expect(whole.match(/\[redacted\]/g)).toHaveLength(3);
    expect(whole).not.toMatch(/Dnb7|LmT/);
    expect(await secrets.scrubAnswer(text, { charsPerTurn: 200 })).toBe(whole);
  });

  it('leaves them alone where they make no secret', () => {
    for (const text of ['a &amp;amp;amp;nbsp; b %26nbsp%3B c %25252520 d %26amp e %2526', 'Dnb7%26nbsp%3BKq8 and Rw2Zx4']) expect(secrets.scrub(text), text).toBe(text);
  });
});
