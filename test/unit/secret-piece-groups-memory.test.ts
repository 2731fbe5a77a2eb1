import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../src/upstream/secrets.js';

const PASSWORD = 'Summer-2026!';
const KEY = 'Dnb7Kq8Rw2Zx4LmTp9Vc3Hs6';

/** Characters of the texts every `answered` Map reachable from `root` holds (the piece search's remembered answers, however many there are). */
function charsRemembered(root: object): number {
  const seen = new Set<object>();
  let chars = 0;
  const visit = (value: unknown, name: string): void => {
    if (value === null || typeof value !== 'object' || seen.has(value) || ArrayBuffer.isView(value)) return;
    seen.add(value);
    if (value instanceof Map) {
      if (name === 'answered') for (const key of value.keys()) chars += typeof key === 'string' ? key.length : 0;
      return;
    }
    if (value instanceof Set || value instanceof RegExp) return;
    for (const [key, inner] of Object.entries(value)) visit(inner, key);
  };
  visit(root, '');
  return chars;
}

/** A list answer as a poll gets it, its rows' names holding "-" between letters and digits (`vm-12`), as most do. */
const listAnswer = (poll: number): string =>
  JSON.stringify({ poll, result: Array.from({ length: 400 }, (_, index) => ({ hostname: `vm-${index}.example.com`, note: index === 3 ? `key ${KEY.slice(2, 12)}` : 'plain' })) });

describe('the piece search remembers answers within one budget per account, however many sets of punctuation its secrets hold', () => {
  it('holds at most 1,000,000 characters for a password with "-" beside a key of letters and digits (two sets)', () => {
    const secrets = new SecretSet();
    secrets.add(PASSWORD);
    secrets.add(KEY);
    for (let poll = 0; poll < 400; poll++) {
      const answer = listAnswer(poll);
      expect(answer.length).toBeLessThan(500_000);
      // Asked twice: remembered at the second sighting.
      for (let asked = 0; asked < 2; asked++) expect(secrets.scrub(answer)).not.toContain(KEY.slice(2, 12));
    }
    const held = charsRemembered(secrets);
    // One memory per set held some 2,000,000 (1,000,000 each).
    expect(held).toBeLessThanOrEqual(1_000_000);
    expect(held).toBeGreaterThan(900_000);
  });

  it('answers a text asked a third time from memory', () => {
    const secrets = new SecretSet();
    secrets.add(PASSWORD);
    secrets.add(KEY);
    const answer = listAnswer(1);
    const first = secrets.scrub(answer);
    secrets.scrub(answer);
    const held = charsRemembered(secrets);
    expect(held).toBe(answer.length);
    expect(secrets.scrub(answer)).toBe(first);
  });
});
