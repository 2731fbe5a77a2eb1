import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_PATTERN_SECRET_LENGTH, lookalikePatterns } from '../../src/upstream/lookalike-secrets.js';
import { REDACTED, SecretSet } from '../../src/upstream/secrets.js';

const fullWidth = (text: string): string => [...text].map((char) => (char >= '!' && char <= '~' ? String.fromCharCode(char.charCodeAt(0) + 0xfee0) : char)).join('');
/** A token of `length` characters with no repeating piece (SHA-256s, hex, one after another). */
function token(length: number): string {
  let text = '';
  for (let index = 0; text.length < length; index++) text += createHash('sha256').update(String(index)).digest('hex');
  return text.slice(0, length);
}

describe('lookalike forms of long secrets and of secrets with "+" beside a space', () => {
  it('finds a secret longer than one pattern holds, piece by piece, in full-width capitals, with no piece short enough to cut common letters', () => {
    const secret = token(MAX_PATTERN_SECRET_LENGTH * 3 + 1);
    const patterns = lookalikePatterns(secret, 6);
    expect(patterns).toHaveLength(4);
    const secrets = new SecretSet();
    secrets.add(secret);
    const scrubbed = secrets.scrub(`key ${fullWidth(secret.toUpperCase())} refused; the rest is plain text`);
    expect(scrubbed).not.toMatch(/[Ａ-Ｚ０-９]/);
    expect(scrubbed).toContain('the rest is plain text');
  });

  it('finds a secret of 16 KiB without a pattern too large to compile', () => {
    const secrets = new SecretSet();
    const secret = token(16 * 1024);
    secrets.addRuntime(secret);
    expect(secrets.scrub(`session ${secret.toUpperCase()} expired`)).not.toContain(secret.toUpperCase().slice(0, 600));
  });

  it('still finds "+ + + + + x" with other whitespace and case, and a run of "+" without it at once', () => {
    const secrets = new SecretSet();
    secrets.addRuntime('+ + + + + x');
    expect(secrets.scrub('token +\n+  + + + X end')).toBe(`token ${REDACTED} end`);
    const started = performance.now();
    expect(secrets.scrub('+'.repeat(5_000))).toBe('+'.repeat(5_000));
    // A hang guard: milliseconds now; the overlapping junction backtracked for 11 s over 100 '+' and far longer over these.
    const tookMs = performance.now() - started;
    expect(tookMs, `scrubbing 5,000 '+' took ${Math.round(tookMs)} ms: the '+' junction backtracks again`).toBeLessThan(5_000);
  });
});
