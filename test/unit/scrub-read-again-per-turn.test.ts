import { afterEach, describe, expect, it, vi } from 'vitest';
import { EscapedSecretSearch } from '../../src/upstream/escaped-secrets.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * The search through escapes once more where a scrub redacted something (`readAgain`) ran over a
 * long answer whole, in one turn of the event loop: 4 MB holding secrets beside escapes held it
 * 0.45 s, 16 MB 1.6 s, where each other step takes a piece (CHARS_PER_TURN) per turn. Counted,
 * not timed: the characters handed to the search through escapes between two turns of the loop
 * (every call still goes to it), and in all.
 */
const MIXED = 'Dnb7Kq8Rw2Zx4LmT';
const PUNCTUATED = "Ops'Key-4f9Qx";
const secrets = new SecretSet();
secrets.add(MIXED);
secrets.add(PUNCTUATED);

const CHARS_PER_TURN = 2_000;
const hexReferences = (text: string): string => [...text].map((char) => `&#x${(char.codePointAt(0) as number).toString(16)};`).join('');
/** A record whose redaction ends an escape before it (scrub-redaction-ends-escape.test.ts), and one with a secret beside escapes. */
const record = (index: number): string =>
  JSON.stringify({ id: index, runOn: `${hexReferences(PUNCTUATED).slice(0, -1)}${MIXED.slice(0, 8)}; end`, beside: `&#x78${MIXED}%2F&lt;\\u0026amp;` });
const ANSWER = `[${Array.from({ length: 2_000 }, (_, index) => record(index)).join(',')}]`;

interface SearchWork {
  characters: number;
  mostInOneTurn: number;
}

async function searchWorkWhile<T>(work: () => Promise<T>): Promise<{ result: T; searched: SearchWork }> {
  const find = EscapedSecretSearch.prototype.find;
  const searched: SearchWork = { characters: 0, mostInOneTurn: 0 };
  let thisTurn = 0;
  let watching = true;
  vi.spyOn(EscapedSecretSearch.prototype, 'find').mockImplementation(function (this: EscapedSecretSearch, text: string, read?: boolean) {
    searched.characters += text.length;
    thisTurn += text.length;
    searched.mostInOneTurn = Math.max(searched.mostInOneTurn, thisTurn);
    return find.call(this, text, read);
  });
  const turn = (): void => {
    thisTurn = 0;
    if (watching) setImmediate(turn);
  };
  setImmediate(turn);
  try {
    return { result: await work(), searched };
  } finally {
    watching = false;
  }
}

describe('the search again through escapes of an answer scrubbed a piece per turn', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('searches a piece per turn, not the whole answer in one', async () => {
    expect(ANSWER.length).toBeGreaterThan(100 * CHARS_PER_TURN);
    const { result, searched } = await searchWorkWhile(() => secrets.scrubAnswer(ANSWER, { charsPerTurn: CHARS_PER_TURN }));
    vi.restoreAllMocks();
    expect(result).toBe(secrets.scrub(ANSWER));
    expect(result).not.toContain(MIXED.slice(0, 8));
    // A piece is cut at the first separator past CHARS_PER_TURN: a record longer at most.
    expect(searched.mostInOneTurn).toBeLessThanOrEqual(CHARS_PER_TURN + record(1_999).length);
  });

  it('searches the answer twice at most in all, however many redactions (thousands here)', async () => {
    const { result, searched } = await searchWorkWhile(() => secrets.scrubAnswer(ANSWER, { charsPerTurn: CHARS_PER_TURN }));
    expect(result.split('[redacted]').length - 1).toBeGreaterThan(2_000);
    expect(searched.characters).toBeLessThanOrEqual(2 * ANSWER.length);
  });
});
