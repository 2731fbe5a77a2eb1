import { describe, expect, it } from 'vitest';
import { holdsHidden as holdsInvisible, readHidden as withoutInvisibles } from '../../src/upstream/invisible-characters.js';
import { letterPieceWork } from '../../src/upstream/letter-run-pieces.js';
import { SecretSet } from '../../src/upstream/secrets.js';
import { splitWordWork } from '../../src/upstream/split-word-search.js';

describe('the scrubber reads characters a reader skips over as nothing inside a secret', () => {
  const secrets = new SecretSet();
  secrets.add('nightowlpassword');
  secrets.add('Dnb7Kq8Rw2Zx4LmT');

  it('reads a text without them and their JSON escapes, and knows where each character left stands', () => {
    const { text, places } = withoutInvisibles('a\u200bb\\u0001c\\\\u200bd\\be\\\\\\u0001f');
    // JSON's `\\` before an escape is a JSON string holding a literal (`"key 'a\\u200bb'"`): read as the escape it shows.
    // A `\\` before the escape is one backslash of the text's own: it goes with the character taken out (kept, the piece search
    // counted it between two pieces of 7).
    expect(text).toBe('abcdef');
    expect([...places]).toEqual([0, 2, 9, 17, 20, 29]);
    expect(holdsInvisible('plain "json" with \\n and \\u00e9')).toBe(false);
    expect(holdsInvisible('x\u00ady')).toBe(true);
  });

  it('reads their percent-encodings (UTF-8, either case) as nothing too, and no other percent escape', () => {
    const encoded = ['%00', '%08', '%0e', '%1F', '%7f', '%C2%80', '%c2%9f', '%C2%AD', '%D8%9C', '%E1%A0%8E', '%E2%80%8B', '%e2%80%8f', '%E2%80%AA', '%E2%80%AE', '%E2%81%A0', '%E2%81%A9', '%EF%BB%BF', '%EF%BF%BD', '%F3%A0%80%80', '%F3%A0%81%BF'];
    for (const escape of encoded) {
      expect(holdsInvisible(`a${escape}b`), escape).toBe(true);
      expect(withoutInvisibles(`key=a${escape}b`).text, escape).toBe('key=ab');
    }
    // Whitespace (a split already), printable characters, a "%" written as %25 before no such byte, and an escape cut short are none.
    for (const other of ['%09', '%20', '%41', '%C2%A0', '%E2%80%8A', '%E2%80%A9', '%E2%81%AA', '%EF%BB%BE', '%2541', '%25E2%80%8B', '%E2%80%8', '%F3%A0%82%80']) {
      expect(holdsInvisible(`a${other}-b`), other).toBe(false);
      expect(withoutInvisibles(`a${other}-b`).text, other).toBe(`a${other}-b`);
    }
    const { text, places } = withoutInvisibles('x%E2%80%8By%00z');
    expect(text).toBe('xyz');
    expect([...places]).toEqual([0, 10, 14]);
    expect(secrets.scrub('https://panel.example/?key=Dnb7Kq8%e2%80%8bRw2Zx4LmT&u=night%C2%ADowl%20password')).toBe('https://panel.example/?key=[redacted]&u=[redacted]');
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
