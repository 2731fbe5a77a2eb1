import { describe, expect, it } from 'vitest';
import { everyAccountScrub } from '../../src/upstream/every-account-scrub.js';
import { SecretSet, sha512Hex } from '../../src/upstream/secrets.js';

/**
 * Client text scrubbed of every account's secrets through one search over all of them, each
 * account in turn only where that search changes the text: the output is the accounts' in turn
 * (guards, over the cases where their order could matter: one account's secret inside another's,
 * secrets overlapping, a secret two accounts hold with other options, run-time secrets, escaped
 * and encoded forms, pieces, hostile escape runs).
 */

const KEY = 'Dnb7Kq8Rw2Zx4LmT';
const ACCOUNTS: Array<(set: SecretSet) => void> = [
  (set) => set.add(KEY),
  (set) => set.add(`xx${KEY}yy`),
  (set) => set.add('abcdef-ghij12'),
  (set) => set.add('ghij12-klmnop'),
  (set) => set.add('nightowlpassword'),
  (set) => {
    set.add('admin:correct horse battery', { base64: true, pieces: false });
    set.add('correct horse battery');
  },
  (set) => set.add(KEY, { base64: true }),
  (set) => set.add(sha512Hex('abcdef-ghij12')),
  (set) => set.add('p%41ss&amp;w0rd"quote\'s'),
  (set) => {
    set.add('5a1b2c3d4e5f60718293a4b5c6d7e8f9');
    set.addRuntime('sess-9f8e7d6c5b4a');
  },
  (set) => set.addRuntime(KEY.toLowerCase()),
  (set) => set.add('Grüße-aus-Köln-2024'),
  (set) => set.add('admin:correct horse battery'),
];

const SECRETS = ['admin:correct horse battery', 'Dnb7Kq8Rw2Zx4LmT', 'xxDnb7Kq8Rw2Zx4LmTyy', 'abcdef-ghij12', 'ghij12-klmnop', 'abcdef-ghij12-klmnop', 'nightowlpassword', 'correct horse battery', 'correct\nhorse  battery', 'sess-9f8e7d6c5b4a', 'Grüße-aus-Köln-2024', 'p%41ss&amp;w0rd"quote\'s', '5a1b2c3d4e5f60718293a4b5c6d7e8f9'];
const NOISE = ['%2526amp%253B', '\\x5c\\u005c', '&lt;', '&#x51;', '\\u0044', '%2F', ' ', '"', '\u200b', '&nbsp;', 'plain words ', '{"a":1}', '\\/', '+', '=='];

/** Seeded (mulberry32), so a failure repeats. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A secret as a client might paste it: whole, cut, encoded, escaped, cased. */
function quoted(secret: string, next: () => number): string {
  const cut = secret.slice(Math.floor(next() * 4), secret.length - Math.floor(next() * 4));
  const shapes = [secret, cut, encodeURIComponent(secret), encodeURIComponent(encodeURIComponent(cut)), JSON.stringify(secret).slice(1, -1), Buffer.from(`admin:${secret}`).toString('base64'), secret.toUpperCase(), [...secret].map((c) => `&#x${c.charCodeAt(0).toString(16)};`).join(''), [...cut].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''), secret.split('').join('\u200b')];
  return shapes[Math.floor(next() * shapes.length)] as string;
}

function accounts(): SecretSet[] {
  return ACCOUNTS.map((declare) => {
    const set = new SecretSet();
    declare(set);
    return set;
  });
}

describe('everyAccountScrub: the accounts in turn, one search where none changes the text (guards)', () => {
  it('writes what the accounts in turn write, over texts of secrets, their pieces and escapes', () => {
    const sets = accounts();
    const scrub = everyAccountScrub(sets);
    const next = random(29);
    let changed = 0;
    for (let round = 0; round < 1_000; round++) {
      let text = '';
      const parts = 1 + Math.floor(next() * 6);
      for (let part = 0; part < parts; part++) {
        text += next() < 0.35 ? quoted(SECRETS[Math.floor(next() * SECRETS.length)] as string, next) : (NOISE[Math.floor(next() * NOISE.length)] as string).repeat(1 + Math.floor(next() * 20));
      }
      const inTurn = sets.reduce((scrubbed, set) => set.scrub(scrubbed), text);
      if (inTurn !== text) changed += 1;
      expect(scrub(text), `round ${round}: ${JSON.stringify(text)}`).toBe(inTurn);
    }
    // Both branches taken many times.
    expect(changed).toBeGreaterThan(200);
    expect(changed).toBeLessThan(950);
  });

  it('follows a session registered after the joined search was made', () => {
    const sets = accounts();
    const scrub = everyAccountScrub(sets);
    const text = 'header token tok-1a2b3c4d5e6f7a8b asked';
    expect(scrub(text)).toBe(text);
    sets[3]?.addRuntime('tok-1a2b3c4d5e6f7a8b');
    expect(scrub(text)).toBe(sets.reduce((scrubbed, set) => set.scrub(scrubbed), text));
    expect(scrub(text)).not.toContain('1a2b3c4d5e6f7a8b');
  });

  it('a login of one account in four does not make the joined search again (its stall is ~0.2-0.4 s with 20 accounts); the session is still scrubbed, and once most accounts have logged in it is made again', () => {
    const sets = accounts().slice(0, 4);
    let joins = 0;
    const scrub = everyAccountScrub(sets, (all) => {
      joins += 1;
      return SecretSet.joined(all);
    });
    const text = 'header token tok-1a2b3c4d5e6f7a8b asked; then tok-99aa88bb77cc66dd';
    expect(scrub(text)).toBe(text);
    expect(joins).toBe(1);
    sets[1]?.addRuntime('tok-1a2b3c4d5e6f7a8b');
    expect(scrub(text)).toBe(sets.reduce((scrubbed, set) => set.scrub(scrubbed), text));
    expect(scrub(text)).not.toContain('1a2b3c4d5e6f7a8b');
    sets[2]?.addRuntime('tok-99aa88bb77cc66dd');
    expect(scrub(text)).not.toContain('99aa88bb77cc66dd');
    expect(joins).toBe(1);
    sets[3]?.addRuntime('tok-55ee44ff33aa22bb');
    expect(scrub('tok-55ee44ff33aa22bb')).not.toContain('55ee44ff33aa22bb');
    expect(joins).toBe(2);
    // Made again with every session in it: the text of both first sessions is changed by the joined search itself.
    expect(scrub(text)).toBe(sets.reduce((scrubbed, set) => set.scrub(scrubbed), text));
    expect(joins).toBe(2);
  });

  it('one account: its own scrub', () => {
    const [set] = accounts();
    expect(everyAccountScrub([set as SecretSet])(`key ${KEY}`)).toBe((set as SecretSet).scrub(`key ${KEY}`));
  });
});
