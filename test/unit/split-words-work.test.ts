import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../src/upstream/secrets.js';
import { splitWordWork } from '../../src/upstream/split-word-search.js';

/**
 * A secret of small letters only is looked for split into words or lines (lookalike-secrets.ts).
 * As one global regex it was tried at every place of an answer and read up to twice the
 * secret's length from each: a session of 511 "a" and a "b" that a hostile provider's login
 * hands out, and 1 MB of "a a a ..." in its answers, held the event loop some 20 s per MB.
 * The work is counted: the letters read once, and the anchored regex runs, one per place the
 * secret's letters stand in the answer. The old search's work is no count V8 gives for a `gu`
 * pattern (docs/testing.md, the regex guards), so the first case checks instead that the answer
 * went through the letter walk (its letters counted) and no regex ran on it: no time is asserted.
 */
describe('the split-words search on an answer made to make it work', () => {
  const session = `${'a'.repeat(511)}b`;
  const secrets = new SecretSet();
  secrets.add(session);

  it('reads each letter of 1 MB of "a a a ..." a bounded number of times and runs no regex where the secret is not', () => {
    const text = 'a '.repeat(500_000);
    const before = { ...splitWordWork };
    expect(secrets.scrub(text)).toBe(text);
    // Each letter is read by the split-words search once per reading of the answer (as it stands, and escapes read through): a few, not the secret's length.
    // At least once: the answer went through the letter walk, not a regex tried at every place (17-18 s for this MB).
    const lettersRead = splitWordWork.lettersRead - before.lettersRead;
    expect(lettersRead).toBeGreaterThanOrEqual(500_000);
    expect(lettersRead).toBeLessThanOrEqual(4 * 500_000);
    expect(splitWordWork.anchoredRuns - before.anchoredRuns).toBe(0);
  }, 60_000);

  it('still finds the secret split by whitespace in such an answer, with one anchored run per place it stands', () => {
    const quoted = [...session].join(' ');
    const text = `${'a '.repeat(100_000)}x ${quoted}\n${'a\\n'.repeat(100_000)}x ${quoted.toUpperCase()}`;
    const before = { ...splitWordWork };
    const scrubbed = secrets.scrub(text);
    expect(scrubbed).toBe(`${'a '.repeat(100_000)}x [redacted]\n${'a\\n'.repeat(100_000)}x [redacted]`);
    expect(splitWordWork.anchoredRuns - before.anchoredRuns).toBeLessThanOrEqual(4);
  }, 60_000);

  it('reads JSON and percent escapes of whitespace (`\\u0020`, `\\u00a0`, `%E2%80%83`) as splits at the same bounded work, and finds the secret split by them', () => {
    const text = 'a\\u0020'.repeat(150_000) + 'a\\u00a0'.repeat(150_000) + 'a%E2%80%83'.repeat(150_000);
    const before = { ...splitWordWork };
    expect(secrets.scrub(text)).toBe(text);
    const lettersRead = splitWordWork.lettersRead - before.lettersRead;
    expect(lettersRead).toBeGreaterThanOrEqual(450_000);
    expect(lettersRead).toBeLessThanOrEqual(4 * 450_000);
    expect(splitWordWork.anchoredRuns - before.anchoredRuns).toBe(0);
    // Split by `\u2003` and `%C2%A0` by turns.
    const quoted = `x ${[...session].map((letter, at) => (at === 0 ? letter : `${at % 2 === 0 ? '\\u2003' : '%C2%A0'}${letter}`)).join('')} y`;
    const between = { ...splitWordWork };
    expect(secrets.scrub(`${'a\\u0020'.repeat(100_000)}${quoted}`)).toBe(`${'a\\u0020'.repeat(100_000)}x [redacted] y`);
    expect(splitWordWork.anchoredRuns - between.anchoredRuns).toBeLessThanOrEqual(4);
  }, 60_000);

  it('finds a secret whose first letter is the letter of an escape before it, as the regex read it', () => {
    const nightly = new SecretSet();
    nightly.add('nightowlpassword');
    for (const text of ['{"e":"bad login\\nIghtowl Password"}', 'q=x%0aNightowl%20password', 'x\\nIGHTOWL password', '{"e":"x\\u000aNightowl\\u00a0password"}']) expect(nightly.scrub(text)).not.toMatch(/ightowl/i);
  });
});
