import { describe, expect, it } from 'vitest';
import { LetterRunPieceSearch, MIN_LETTER_PIECE_LENGTH, letterPieceWork } from '../../src/upstream/letter-run-pieces.js';
import { REDACTED, SecretSet } from '../../src/upstream/secrets.js';

/** A password of letters only: the piece search takes its pieces for words and looks for none. */
const PASSWORD = 'correcthorsebatterystaple';

describe('a letters-only password in pieces', () => {
  const secrets = new SecretSet();
  secrets.add(PASSWORD);

  it.each([
    ['in halves in two fields', JSON.stringify({ password_start: PASSWORD.slice(0, 13), password_end: PASSWORD.slice(13) }), JSON.stringify({ password_start: REDACTED, password_end: REDACTED })],
    ['its middle, capitalised, in a sentence', JSON.stringify({ detail: `Invalid password Horsebatterys.` }), JSON.stringify({ detail: `Invalid password ${REDACTED}.` })],
    ['a piece of 10 beside other letters', JSON.stringify({ detail: `xyzbatterystaple` }), JSON.stringify({ detail: `xyz${REDACTED}` })],
  ])('redacts it %s', (_how, text, expected) => {
    expect(secrets.scrub(text)).toBe(expected);
  });

  it('leaves words and runs of 9 of its letters alone', () => {
    const text = 'the correct horse; batteryst staple, orsebatte';
    expect(secrets.scrub(text)).toBe(text);
  });

  it('looks for no pieces of a secret that holds anything but letters (the piece search has those)', () => {
    expect(new LetterRunPieceSearch(['correcthorse1battery']).looksForPieces).toBe(false);
    expect(new LetterRunPieceSearch(['correcthors']).looksForPieces).toBe(true);
    expect(new LetterRunPieceSearch(['correcthor'.slice(0, MIN_LETTER_PIECE_LENGTH - 1)]).looksForPieces).toBe(false);
    // A secret of exactly MIN_LETTER_PIECE_LENGTH letters is one window: looked for, in any case.
    const tenLetters = new LetterRunPieceSearch(['correcthor']);
    expect(tenLetters.looksForPieces).toBe(true);
    expect(tenLetters.find('x CorrectHor y')).toEqual([[2, 12]]);
    // A search with no window reads nothing.
    const none = new LetterRunPieceSearch(['correcthorse1battery']);
    const before = { ...letterPieceWork };
    expect(none.find('correcthorsebattery')).toEqual([]);
    expect(letterPieceWork.charactersRead - before.charactersRead).toBe(0);
  });

  // A, Z and z are the ends of the letters' ranges: a run of the secret holding them is one run.
  it.each([
    ['in capitals', 'BLAZINGAZUREZEBRA'],
    ['in small letters', 'blazingazurezebra'],
  ])('redacts a passphrase whose letters include A and Z, %s', (_how, quoted) => {
    const secrets = new SecretSet();
    secrets.add('blazingazurezebra');
    // Split by a dash: no whole secret, each half a run of the letters.
    expect(secrets.scrub(`{"detail":"${quoted.slice(0, 12)}-${quoted.slice(4)}"}`)).toBe(`{"detail":"${REDACTED}-${REDACTED}"}`);
  });

  it('leaves alone a run of other letters whose hash is a window\'s, comparing it once', () => {
    // "jwfdmmefmg" has the hash of "dormitorys" (found by a meet-in-the-middle search over letter differences).
    const search = new LetterRunPieceSearch(['dormitorysunrise']);
    const before = { ...letterPieceWork };
    expect(search.find('x jwfdmmefmg y Dormitorys')).toEqual([[15, 25]]);
    expect(letterPieceWork.compared - before.compared).toBe(2);
  });

  it('compares no window of a text holding none of the secret\'s letters in a row', () => {
    const search = new LetterRunPieceSearch([PASSWORD]);
    const before = { ...letterPieceWork };
    expect(search.find('x'.repeat(100_000))).toEqual([]);
    expect(letterPieceWork.compared - before.compared).toBe(0);
  });

  it('reads each character once, and compares at most one window per place, on an answer made of the secret', () => {
    const search = new LetterRunPieceSearch([PASSWORD, 'aaaaaaaaaaaaab']);
    const answer = `${PASSWORD.repeat(20_000)} ${'a'.repeat(200_000)}`;
    const before = { ...letterPieceWork };
    const found = search.find(answer);
    // Each copy its own span (windows across two copies are none of the secret's), and the run of "a" one.
    expect(found).toHaveLength(20_001);
    expect(found.at(-1)).toEqual([PASSWORD.length * 20_000 + 1, answer.length]);
    expect(letterPieceWork.charactersRead - before.charactersRead).toBe(answer.length);
    expect(letterPieceWork.compared - before.compared).toBeLessThanOrEqual(answer.length);
    // At least one per span found: each was compared as text.
    expect(letterPieceWork.compared - before.compared).toBeGreaterThanOrEqual(found.length);
  });
});
