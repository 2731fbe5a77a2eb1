import { describe, expect, it } from 'vitest';
import { holdsInvisible, withoutInvisibles } from '../../src/upstream/invisible-characters.js';
import { letterPieceWork } from '../../src/upstream/letter-run-pieces.js';
import { SecretSet } from '../../src/upstream/secrets.js';
import { splitWordWork } from '../../src/upstream/split-word-search.js';

describe('the scrubber reads characters a reader skips over as nothing inside a secret', () => {
  const secrets = new SecretSet();
  secrets.add('nightowlpassword');
  secrets.add('Dnb7Kq8Rw2Zx4LmT');

  it('reads a text without them and their JSON escapes, and knows where each character left stands', () => {
    const { text, places } = withoutInvisibles('a\u200bb\\u0001c\\\\u200bd\\be');
    // JSON's `\\` is one backslash: "\\u200b" after it is a backslash and text, not an escape.
    expect(text).toBe('abc\\\\u200bde');
    expect([...places]).toEqual([0, 2, 9, 10, 11, 12, 13, 14, 15, 16, 17, 20]);
    expect(holdsInvisible('plain "json" with \\n and \\u00e9')).toBe(false);
    expect(holdsInvisible('x\u00ady')).toBe(true);
  });

  it('redacts a secret with them inside, whole, and leaves the rest of the text as it was', () => {
    expect(secrets.scrub('{"d":"key nightowl\\u0001password, \u{1f468}\u200d\u{1f469}"}')).toBe('{"d":"key [redacted], \u{1f468}\u200d\u{1f469}"}');
    expect(secrets.scrub('key Dnb7Kq8\u200bRw2Zx4LmT\u200b!')).toBe('key [redacted]\u200b!');
    expect(secrets.scrub('key Dnb7-\u200bKq8R-w2Zx-\u00ad4LmT and nightowl\u202e pass\u2066word')).toBe('key [redacted] and [redacted]');
  });

  it('redacts them as scrubbed whole when a large answer is scrubbed a piece per turn', async () => {
    const rows = Array.from({ length: 100 }, (_, index) => `{"id":${index},"name":"vm-${index}"}`);
    rows.splice(40, 0, '{"d":"key nightowl\\u0001password"}');
    rows.splice(70, 0, '{"d":"key Dnb7Kq8\u200bRw2Zx4LmT"}');
    const text = `[${rows.join(',')}]`;
    const whole = secrets.scrub(text);
    expect(whole.match(/\[redacted\]/g)).toHaveLength(2);
    expect(await secrets.scrubAnswer(text, { charsPerTurn: 200 })).toBe(whole);
  });

  it('reads an answer made of them and letters a bounded number of times: each character at most once per reading (as it stands, without them), no regex where the secret is not', () => {
    // The split-words search's worst answer (split-words-work.test.ts) with a zero-width space and a control beside each space.
    const session = new SecretSet();
    session.add(`${'a'.repeat(511)}b`);
    const plain = 'a '.repeat(250_000);
    const hidden = 'a\u200b \u0001'.repeat(250_000);
    const work = (text: string) => {
      const before = { ...splitWordWork, ...letterPieceWork };
      expect(session.scrub(text)).toBe(text);
      return { letters: splitWordWork.lettersRead - before.lettersRead, runs: splitWordWork.anchoredRuns - before.anchoredRuns, characters: letterPieceWork.charactersRead - before.charactersRead };
    };
    // Without them: each character the split-words walk does not skip (the letters) read once.
    expect(work(plain).letters).toBe(250_000);
    const withThem = work(hidden);
    expect(withThem.runs).toBe(0);
    // At least the reading without them: its letters; at most every character of both readings.
    expect(withThem.letters).toBeGreaterThanOrEqual(250_000);
    expect(withThem.letters).toBeLessThanOrEqual(2 * hidden.length);
    expect(withThem.characters).toBeLessThanOrEqual(2 * hidden.length);
  }, 60_000);
});
