import type { Span } from './escape-reading.js';

/**
 * Pieces of a secret made only of ASCII letters (`correcthorsebatterystaple`): the piece search
 * (secret-pieces.ts) leaves runs of small letters alone, as they are words ("invalid password"
 * must not lose "password"), so half such a password in one field of an error and half in another
 * (a Danube error body's fields, joined into the message) reached the client and the log whole.
 * Here any MIN_LETTER_PIECE_LENGTH letters of it in a row, in any case, are found: longer than
 * most words, so that a passphrase holding one does not blank that word from every answer.
 */
export const MIN_LETTER_PIECE_LENGTH = 10;

/** Only ASCII letters: the secrets this search is for (any other character and the piece search finds pieces holding it). */
const LETTERS_ONLY = /^[A-Za-z]+$/;

const HASH_MULTIPLIER = 0x01000193;

/** Counts of the search's work, for tests: characters read, and windows compared as text (each a hash hit). */
export const letterPieceWork = { charactersRead: 0, compared: 0 };

const isLetter = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

/** The multiplier to the power MIN_LETTER_PIECE_LENGTH - 1, mod 2^32: what a letter leaving the window took. */
const LEAVING = Array.from({ length: MIN_LETTER_PIECE_LENGTH - 1 }).reduce<number>((power) => Math.imul(power, HASH_MULTIPLIER), 1);

export class LetterRunPieceSearch {
  /** Every window of the secrets, in small letters, and their hashes (a hash hit is compared as text). */
  private readonly windows = new Set<string>();
  private readonly hashes = new Set<number>();

  constructor(secrets: Iterable<string>) {
    for (const secret of secrets) {
      if (!LETTERS_ONLY.test(secret) || secret.length < MIN_LETTER_PIECE_LENGTH) continue;
      const small = secret.toLowerCase();
      for (let start = 0; start + MIN_LETTER_PIECE_LENGTH <= small.length; start++) {
        const window = small.slice(start, start + MIN_LETTER_PIECE_LENGTH);
        this.windows.add(window);
        let hash = 0;
        for (let at = 0; at < window.length; at++) hash = (Math.imul(hash, HASH_MULTIPLIER) + window.charCodeAt(at)) | 0;
        this.hashes.add(hash);
      }
    }
  }

  get looksForPieces(): boolean {
    return this.windows.size > 0;
  }

  /**
   * The parts of `text` holding a window: in order, apart. One pass with a hash of the last
   * MIN_LETTER_PIECE_LENGTH letters in a row, rolled a letter at a time; a window is compared as
   * text only where its hash is a secret's: the work is the text's length, and at most
   * MIN_LETTER_PIECE_LENGTH characters per place for an answer made of the secret.
   */
  find(text: string): Span[] {
    if (this.windows.size === 0) return [];
    const found: Span[] = [];
    let run = 0;
    let hash = 0;
    letterPieceWork.charactersRead += text.length;
    for (let at = 0; at < text.length; at++) {
      const code = text.charCodeAt(at);
      if (!isLetter(code)) {
        run = 0;
        hash = 0;
        continue;
      }
      const small = code | 0x20;
      if (run >= MIN_LETTER_PIECE_LENGTH) hash = (hash - Math.imul(text.charCodeAt(at - MIN_LETTER_PIECE_LENGTH) | 0x20, LEAVING)) | 0;
      hash = (Math.imul(hash, HASH_MULTIPLIER) + small) | 0;
      run++;
      if (run < MIN_LETTER_PIECE_LENGTH || !this.hashes.has(hash)) continue;
      const start = at - MIN_LETTER_PIECE_LENGTH + 1;
      letterPieceWork.compared++;
      if (!this.windows.has(text.slice(start, at + 1).toLowerCase())) continue;
      const previous = found.at(-1);
      if (previous && start < previous[1]) previous[1] = at + 1;
      else found.push([start, at + 1]);
    }
    return found;
  }
}
