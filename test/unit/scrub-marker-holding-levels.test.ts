import { describe, expect, it } from 'vitest';
import { readEscapedJoiners } from '../../src/upstream/escaped-joiners.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * A secret cut every 7 characters by a joiner escaped four levels deep or more where each level's
 * own text holds a marker (`\u005c\u005c\u005c\u005c\u002d`: the text's own `\\\\-` written as
 * JSON escapes; `&amp;` levels whose ";" is URL-encoded): the reading of escaped joiners stopped
 * at three such levels, so 7 characters stayed on either side, the whole secret in three pieces.
 * Read now at any depth, each level once however many places the reading starts from.
 */
const SECRET = 'Dnb7Kq8Rw2Zx4LmTpQ';
const secrets = new SecretSet();
secrets.add(SECRET);

const cutEverySeven = (between: string): string => `key ${SECRET.slice(0, 7)}${between}${SECRET.slice(7, 14)}${between}${SECRET.slice(14)}!`;
const levels = (count: number, level: string, last: string): string => `${level.repeat(count)}${last}`;

const DEEP_MARKED = [
  levels(4, '\\u005c', '\\u002d'),
  levels(5, '\\u005c', '\\u002d'),
  levels(12, '\\u005c', '\\u002d'),
  levels(4, '\\\\u005c', '\\\\u002d'),
  levels(4, '\\x5c', '\\x2f'),
  levels(3, '\\u005c', '\\x5c\\u002d'),
  `%2526${levels(4, 'amp%253B', 'lt%253B')}`,
];

describe('a secret cut by a joiner escaped four or more levels deep, each level holding a marker', () => {
  it.each(DEEP_MARKED)('redacts the secret cut every 7 characters by %j', (between) => {
    expect(secrets.scrub(cutEverySeven(between))).toBe('key [redacted]!');
  });

  it('reads each such escape as the one joiner it ends in', () => {
    expect(readEscapedJoiners(`a${levels(4, '\\u005c', '\\u002d')}b`)?.text).toBe('a-b');
    expect(readEscapedJoiners(`a${levels(40, '\\u005c', '\\u002d')}b`)?.text).toBe('a-b');
    expect(readEscapedJoiners(`a%2526${levels(6, 'amp%253B', 'lt%253B')}b`)?.text).toBe('a<b');
  });

  it('reads a run of such levels that ends in no escape as no joiner (a guard)', () => {
    expect(readEscapedJoiners(`a${'\\u005c'.repeat(40)}b`)).toBeNull();
    const text = `Dnb7Kq8${'\\u005c'.repeat(40)}Rw2Zx4L`;
    expect(secrets.scrub(text)).toBe(text);
  });

  it('redacts such a cut in an answer scrubbed a piece per turn', async () => {
    const rows = Array.from({ length: 300 }, (_, index) => `{"id":${index},"name":"vm-${index}"}`);
    rows[200] = `{"id":200,"name":"${cutEverySeven(levels(4, '\\u005c', '\\u002d'))}"}`;
    const text = `[${rows.join(',')}]`;
    const scrubbed = await secrets.scrubAnswer(text, { charsPerTurn: 512 });
    expect(scrubbed).toBe(secrets.scrub(text));
    expect(scrubbed).toContain('"id":200,"name":"key [redacted]!"');
  });
});
