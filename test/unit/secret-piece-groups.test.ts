import { afterEach, describe, expect, it, vi } from 'vitest';
import { SecretPieceSearch } from '../../src/upstream/secret-pieces.js';
import { SecretPiecesByJoiners } from '../../src/upstream/secret-piece-groups.js';
import { SecretSet } from '../../src/upstream/secrets.js';

const PASSWORD = 'Summer-2026!';
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `count` API keys of 24 letters and digits, the same every run (a linear congruential generator). */
function keys(count: number): string[] {
  let state = 20261205;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state >>> 8;
  };
  return Array.from({ length: count }, () => Array.from({ length: 24 }, () => ALPHABET[next() % ALPHABET.length]).join(''));
}

/** The 8-character windows of `key` that `text` still holds once punctuation between letters or digits is taken out. */
const leaked = (text: string, key: string): string[] => {
  const joined = text.replace(/(?<=[A-Za-z0-9])[!#$&()*,\-./:;<=>?@[\]^_{|}~](?=[A-Za-z0-9])/g, '').toLowerCase();
  return Array.from({ length: key.length - 7 }, (_, start) => key.slice(start, start + 8).toLowerCase()).filter((window) => joined.includes(window));
};

const account = (...secrets: string[]): SecretSet => {
  const set = new SecretSet();
  for (const secret of secrets) set.add(secret);
  return set;
};

describe('the piece search passes over the punctuation each secret does not hold, not the account\'s', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(['-', '/', '.', ':'])('redacts each of 40 random keys quoted in groups of 4 joined by %j beside a password holding "-" and "!"', (joiner) => {
    const out = keys(40).map((key) => {
      const scrubbed = account(PASSWORD, key).scrub(JSON.stringify({ detail: `Invalid API key ${key.match(/.{4}/g)?.join(joiner)}` }));
      return leaked(scrubbed, key).length;
    });
    // On one search for the account, the password's "-" was counted for the key: 40 of 40 went out whole in dash groups.
    expect(out.filter((count) => count > 0)).toHaveLength(0);
  });

  it('still counts a secret\'s own joiner for it: "Secret-Key-42" beside a key is no piece of "the secret key"', () => {
    const [key] = keys(1) as [string];
    const secrets = account('Secret-Key-42', key);
    expect(secrets.scrub('the secret key was rotated, key 42 too')).toBe('the secret key was rotated, key 42 too');
    // The whole secret with spaces for its dashes is the secret (lookalike-secrets.ts), no piece of it.
    expect(secrets.scrub('the secret key 42 was rotated')).toBe('the [redacted] was rotated');
    expect(secrets.scrub('got: cret-Key-42 here')).toBe('got: [redacted] here');
  });

  it('searches a text once per distinct set of joiners the secrets hold, and not at all once it is remembered', () => {
    const [first, second] = keys(2) as [string, string];
    const searched = vi.spyOn(SecretPieceSearch.prototype as unknown as { findIn: (text: string) => unknown }, 'findIn');
    // Two keys of letters and digits share a set; the password and another holding "-" and "!" share the other.
    const secrets = account(PASSWORD, 'Winter-2025!', first, second);
    const answer = JSON.stringify({ items: Array.from({ length: 30 }, (_, index) => ({ name: `vm-${index}`, note: index === 7 ? first.match(/.{4}/g)?.join('-') : 'plain' })) });
    expect(answer.length).toBeGreaterThan(512);
    for (let asked = 1; asked <= 3; asked++) expect(leaked(secrets.scrub(answer), first)).toEqual([]);
    // Twice per set (the second sighting remembers it), then answered from memory.
    expect(searched).toHaveBeenCalledTimes(4);
  });

  it('counts one set for keys of letters and digits, one more per distinct punctuation a secret holds', () => {
    const [first, second] = keys(2) as [string, string];
    const sourcesOf = (secret: string): string[] => [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')];
    expect(new SecretPiecesByJoiners([first, second].map(sourcesOf)).groups).toBe(1);
    expect(new SecretPiecesByJoiners([first, second, PASSWORD, 'Winter-2025!'].map(sourcesOf)).groups).toBe(2);
    expect(new SecretPiecesByJoiners([first, PASSWORD, 'pass_word_9X'].map(sourcesOf)).groups).toBe(3);
  });

  it('scrubs a large answer in turns as it scrubs it whole, a key in dash groups beside the password', async () => {
    const [key] = keys(1) as [string];
    const secrets = account(PASSWORD, key);
    const rows = Array.from({ length: 4_000 }, (_, index) => ({ id: index, note: index % 97 === 0 ? `key ${key.match(/.{4}/g)?.join('-')}, was ${PASSWORD}` : `row ${index}` }));
    const answer = JSON.stringify({ rows });
    const inTurns = await secrets.scrubAnswer(answer, { charsPerTurn: 2_000 });
    expect(inTurns).toBe(secrets.scrub(answer));
    expect(leaked(inTurns, key)).toEqual([]);
    expect(inTurns).not.toContain('Summer');
  });

  it('makes one span of two groups\' finds that overlap, from the first start to the last end, and keeps touching ones apart', () => {
    // The key's group passes over the password's "-" between letters and digits ("mer-2026" is its "mer2026"); the password's group does not.
    const key = 'Zq8vmer2026Xk4Lp';
    const groups = new SecretPiecesByJoiners([[key], [PASSWORD]]);
    expect(groups.groups).toBe(2);
    // The key's piece [7, 20) is listed first, inside and past the password's [4, 15).
    expect(groups.find('a-b Summer-2026Xk4Lp c')).toEqual([[4, 20]]);
    expect(groups.find('a-b Summer-2026!Zq8vmer2 c')).toEqual([[4, 16], [16, 24]]);
    expect(account(key, PASSWORD).scrub('a-b Summer-2026Xk4Lp c')).toBe('a-b [redacted] c');
    expect(new SecretPiecesByJoiners([]).find('a-b Summer-2026Xk4Lp c')).toEqual([]);
  });
});
