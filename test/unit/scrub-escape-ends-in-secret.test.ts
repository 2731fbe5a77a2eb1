import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * A piece of a secret whose first characters also end an escape the piece search passes over
 * whole: the password `b7Kq8Rw2Zx4LmTpQ` quoted in halves, the first after a stray `%2`
 * (`%2b7Kq8Rw2`), read as `%2b` (a "+") and seven characters, no piece: all 8 stood in the
 * answer (7 to a reader decoding `%2b`). The same after `%2` for a secret starting "0" (`%20`),
 * and after a backslash for one starting "n" (`\n`; JSON's `\\n`, a backslash before it).
 */
const AFTER_PLUS = 'b7Kq8Rw2Zx4LmTpQ';
const AFTER_SPACE = '0b7Kq8Rw2Zx4LmTp';
const AFTER_NEWLINE = 'nb7Kq8Rw2Zx4LmTp';
const secrets = new SecretSet();
for (const secret of [AFTER_PLUS, AFTER_SPACE, AFTER_NEWLINE]) secrets.add(secret);

const QUOTED: Array<[string, string]> = [
  [`"%2${AFTER_PLUS.slice(0, 8)}" and "${AFTER_PLUS.slice(8)}"`, '"%2[redacted]" and "[redacted]"'],
  [`%2${AFTER_PLUS.slice(0, 8)} rest`, '%2[redacted] rest'],
  [`%2${AFTER_PLUS.slice(0, 8)}%20${AFTER_PLUS.slice(8, 12)}`, '%2[redacted]'],
  [`"%2${AFTER_SPACE.slice(0, 8)}"`, '"%2[redacted]"'],
  [`"\\${AFTER_NEWLINE.slice(0, 8)}"`, '"\\[redacted]"'],
  [`"\\\\${AFTER_NEWLINE.slice(0, 8)}"`, '"\\\\[redacted]"'],
];

describe('a piece of a secret whose first characters end an escape before it', () => {
  it.each(QUOTED)('leaves none of the secret in %j', (text, scrubbed) => {
    expect(secrets.scrub(text)).toBe(scrubbed);
  });

  it('does the same scrubbing a long answer a piece per turn', async () => {
    const answer = JSON.stringify(QUOTED.map(([text]) => ({ name: text, note: 'x'.repeat(40) })));
    const scrubbed = await secrets.scrubAnswer(answer, { charsPerTurn: 64 });
    expect(scrubbed).toBe(secrets.scrub(answer));
    for (const secret of [AFTER_PLUS, AFTER_SPACE, AFTER_NEWLINE]) expect(scrubbed).not.toContain(secret.slice(1, 8));
  });

  it('finds any 8 characters of a secret after any escape ending in its first ones (seeded)', () => {
    const starts = fc.constantFrom<[string, string]>(['%2', AFTER_PLUS], ['%2', AFTER_SPACE], ['\\', AFTER_NEWLINE], ['\\\\\\', AFTER_NEWLINE]);
    fc.assert(
      fc.property(starts, fc.integer({ min: 8, max: 16 }), fc.string({ maxLength: 6 }), ([escapeStart, secret], length, after) => {
        const scrubbed = secrets.scrub(`said ${escapeStart}${secret.slice(0, length)} ${after}`);
        for (let start = 0; start + 7 <= length; start++) expect(scrubbed).not.toContain(secret.slice(start, start + 7));
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('leaves escapes before letters alone in text that holds no secret', () => {
    for (const text of ['line one\\nline two', 'a%20b%2Bc%0Ad', 'C:\\\\new\\\\b7Kq8 folder', '%2b7Kq8Rw and 2Z']) expect(secrets.scrub(text)).toBe(text);
  });
});
