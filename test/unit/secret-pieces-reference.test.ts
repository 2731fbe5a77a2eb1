import { describe, expect, it } from 'vitest';
import { JOINERS, MIN_PIECE_LENGTH, SecretPieceSearch } from '../../src/upstream/secret-pieces.js';

type Span = [number, number];

/**
 * The piece search's rules read as plainly as they can be, over the whole text: every character
 * passed over or counted from the text's start, every window of MIN_PIECE_LENGTH counted
 * characters compared. The search reads blocks first and passes over characters one by one only
 * between them; whatever it skips, it must find what this finds.
 */
const PASSED_OVER = new Set([...' \t\n\r\f\v\'`+']);
const BACKSLASH_ESCAPED = new Set([...'nrtfv\'']);
const PERCENT_ESCAPED = new Set(['09', '0A', '0B', '0C', '0D', '20', '22', '27', '60', '2B']);
const isAlphanumeric = (char: string | undefined): boolean => char !== undefined && /^[A-Za-z0-9]$/.test(char);

/**
 * A double quote from `start` to `end` (bare or `\"`): a letter or digit just before and just after
 * it, or one just on one side and one past one or two spaces on the other (after it, each as it
 * stands or as JSON's `\t`, `\n`, `\r`, behind any number of backslashes, or a space behind them). Backslashes just before it (up to
 * seven: a quote's escape inside JSON inside JSON, `\\\"`) stand between it and that letter or digit.
 */
const quoteBetween = (text: string, start: number, end: number): boolean => {
  const before = text.slice(0, start).replace(/\\{1,7}$/, '');
  const after = text.slice(end);
  return (/[A-Za-z0-9]$/.test(before) && /^(?:[ \t\n\r]|\\+[tnr \t\n\r]){0,2}[A-Za-z0-9]/.test(after)) || (/[A-Za-z0-9][ \t\n\r]{1,2}$/.test(before) && /^[A-Za-z0-9]/.test(after));
};

/** The letter or digit on each side of `at` past up to two spaces, tabs or line breaks (after it, each as it stands or as JSON's `\t`, `\n`, `\r`, behind any number of backslashes, or a space behind them). */
const alphanumericAcrossSpaces = (text: string, at: number): boolean =>
  /[A-Za-z0-9][ \t\n\r]{0,2}$/.test(text.slice(0, at)) && /^(?:[ \t\n\r]|\\+[tnr \t\n\r]){0,2}[A-Za-z0-9]/.test(text.slice(at + 1));

function passedOverAt(text: string, at: number, held: ReadonlySet<string>): number {
  const char = text[at] as string;
  if (PASSED_OVER.has(char)) return 1;
  if (char === '\\') {
    const next = text[at + 1];
    if (next === '\\') return 1;
    // A backslash before whitespace (`\ `): what the reading leaves of a run of 3, 5-7 or 16+ before an escaped space.
    if (next === ' ' || next === '\t' || next === '\n' || next === '\r') return 1;
    if (next === '"') return quoteBetween(text, at, at + 2) ? 2 : 0;
    return next !== undefined && BACKSLASH_ESCAPED.has(next) ? 2 : 0;
  }
  if (char === '%') return PERCENT_ESCAPED.has(text.slice(at + 1, at + 3).toUpperCase()) ? 3 : 0;
  if (char === '"') return quoteBetween(text, at, at + 1) ? 1 : 0;
  // Punctuation no secret holds, between two letters or digits (`Dnb7-Kq8R`), a space or two between allowed (`4 -LmT`).
  if (JOINERS.includes(char) && !held.has(char)) return alphanumericAcrossSpaces(text, at) ? 1 : 0;
  return 0;
}

function countedOf(text: string, held: ReadonlySet<string>): { chars: string[]; places: number[] } {
  const chars: string[] = [];
  const places: number[] = [];
  for (let at = 0; at < text.length; ) {
    const skip = passedOverAt(text, at, held);
    if (skip === 0) {
      chars.push(text[at] as string);
      places.push(at);
    }
    at += skip === 0 ? 1 : skip;
  }
  return { chars, places };
}

const folded = (chars: string[]): string => chars.map((char) => (char >= 'A' && char <= 'Z' ? char.toLowerCase() : char)).join('\u0000');
const isWordChar = (char: string): boolean => /^[a-z._-]$/.test(char);

function referenceSpans(secrets: string[], text: string): Span[] {
  const windows = new Set<string>();
  const held = new Set(secrets.flatMap((secret) => [...secret]).filter((char) => JOINERS.includes(char)));
  for (const secret of secrets) {
    const { chars } = countedOf(secret, held);
    for (let start = 0; start + MIN_PIECE_LENGTH <= chars.length; start++) {
      const window = chars.slice(start, start + MIN_PIECE_LENGTH);
      if (!window.every(isWordChar)) windows.add(folded(window));
    }
  }
  const { chars, places } = countedOf(text, held);
  const spans: Span[] = [];
  for (let start = 0; start + MIN_PIECE_LENGTH <= chars.length; start++) {
    if (!windows.has(folded(chars.slice(start, start + MIN_PIECE_LENGTH)))) continue;
    const span: Span = [places[start] as number, (places[start + MIN_PIECE_LENGTH - 1] as number) + 1];
    const previous = spans.at(-1);
    if (previous && span[0] < previous[1]) previous[1] = Math.max(previous[1], span[1]);
    else spans.push(span);
  }
  return spans;
}

/** A seeded generator: a failure names its case, and the same case comes back. */
function generator(seed: number): { next: () => number; pick: <T>(items: readonly T[]) => T } {
  let state = seed;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
  return { next, pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number] };
}

const LETTERS = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'];
/** Secrets' and filler's other characters: spaces, escapes begun and whole, quotes, JSON's structure, past ASCII. */
const OTHERS = [' ', '\\', '"', "'", '%', '+', '`', '\n', '\t', '-', '_', '.', ':', '{', '}', ',', 'é', '😀', '%20', '%22', '\\n', '\\"', "\\'", '%0a', '%2B'];
/** What a provider may put inside a piece it quotes (joiners: a key in groups, a piece beside a dash). */
const INSIDE = [' ', '\n', '\\n', '%20', '%0A', '"', '\\"', "'", '+', '`', '\\\\', '\\', '%', '\\t', '-', '/', ':', ',', '@', '&', '#', ';'];

function caseOf(seed: number): { secrets: string[]; text: string } {
  const { next, pick } = generator(seed);
  const run = (length: number): string => Array.from({ length }, () => (next() < 0.25 ? pick(OTHERS) : pick(LETTERS))).join('');
  const secrets = Array.from({ length: 1 + Math.floor(next() * 3) }, () => run(8 + Math.floor(next() * 16)));
  let text = '';
  for (let part = 1 + Math.floor(next() * 8); part > 0; part--) {
    if (next() < 0.4) {
      text += run(Math.floor(next() * 30));
      continue;
    }
    const secret = pick(secrets);
    const from = Math.floor(next() * secret.length);
    let piece = secret.slice(from, from + Math.floor(next() * (secret.length - from + 1)));
    if (next() < 0.5) {
      const at = Math.floor(next() * (piece.length + 1));
      piece = `${piece.slice(0, at)}${pick(INSIDE)}${piece.slice(at)}`;
    }
    if (next() < 0.3) piece = next() < 0.5 ? piece.toUpperCase() : piece.toLowerCase();
    if (next() < 0.3) piece = JSON.stringify(piece).slice(1, -1);
    if (next() < 0.2) piece = JSON.stringify({ k: piece });
    if (next() < 0.1) piece = JSON.stringify(JSON.stringify({ k: piece }));
    text += piece;
  }
  return { secrets, text };
}

describe('SecretPieceSearch against a pass over every window of the whole text', () => {
  it('finds the same spans in 4,000 generated cases: secrets with spaces, escapes and quotes, texts with JSON escapes and pieces re-cased', () => {
    let withPieces = 0;
    for (let seed = 1; seed <= 4000; seed++) {
      const { secrets, text } = caseOf(seed);
      const expected = referenceSpans(secrets, text);
      if (expected.length > 0) withPieces++;
      // A new search per case: find() remembers texts of 512 characters or more, and the cases are shorter.
      expect(new SecretPieceSearch(secrets).find(text), JSON.stringify({ seed, secrets, text })).toEqual(expected);
    }
    // The cases are worth comparing: about a quarter hold a piece.
    expect(withPieces).toBeGreaterThan(800);
  });
});
