import { afterEach, describe, expect, it, vi } from 'vitest';
import { JOINERS, SecretPieceSearch } from '../../src/upstream/secret-pieces.js';
import { SecretPiecesByJoiners } from '../../src/upstream/secret-piece-groups.js';

type Span = [number, number];

/**
 * What the groups' own searches find together, as SecretPiecesByJoiners found it for every text
 * before it searched some with one search: each group (secrets holding the same joiners) searched
 * alone, the spans merged where they overlap.
 */
function perGroupSpans(secrets: readonly string[], text: string): Span[] {
  const groups = new Map<string, string[]>();
  for (const secret of secrets) {
    const key = [...JOINERS].filter((joiner) => secret.includes(joiner)).join('');
    groups.set(key, [...(groups.get(key) ?? []), secret]);
  }
  const spans = [...groups.values()].flatMap((group) => new SecretPieceSearch(group).findIn(text)).sort((a, b) => a[0] - b[0]);
  const merged: Span[] = [];
  for (const [start, end] of spans) {
    const previous = merged.at(-1);
    if (previous && start < previous[1]) previous[1] = Math.max(previous[1], end);
    else merged.push([start, end]);
  }
  return merged;
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
/** Punctuation secrets hold (a password's), a few so that secrets share sets and differ. */
const SECRET_PUNCTUATION = ['-', '!', '.', '/', '_', ':'];
/** Filler and what a provider puts inside a piece: spaces, escapes, quotes, JSON's structure, and joiners. */
const OTHERS = [' ', '\\', '"', '\\"', '%20', '\\n', '\n', ',', '{', '}', '-', '/', '.', ':', '!', '_', '@', '#', 'é'];

function caseOf(seed: number): { secrets: string[]; text: string } {
  const { next, pick } = generator(seed);
  const secretRun = (length: number, punctuated: boolean): string => Array.from({ length }, () => (punctuated && next() < 0.2 ? pick(SECRET_PUNCTUATION) : pick(LETTERS))).join('');
  const secrets = Array.from({ length: 2 + Math.floor(next() * 3) }, () => secretRun(10 + Math.floor(next() * 14), next() < 0.5));
  const filler = (length: number): string => Array.from({ length }, () => (next() < 0.3 ? pick(OTHERS) : pick(LETTERS))).join('');
  let text = '';
  for (let part = 1 + Math.floor(next() * 6); part > 0; part--) {
    if (next() < 0.35) {
      text += filler(Math.floor(next() * 24));
      continue;
    }
    const secret = pick(secrets);
    const from = Math.floor(next() * (secret.length - 6));
    let piece = secret.slice(from, from + 8 + Math.floor(next() * (secret.length - from)));
    for (let inserted = Math.floor(next() * 3); inserted > 0; inserted--) {
      const at = 1 + Math.floor(next() * Math.max(1, piece.length - 1));
      piece = `${piece.slice(0, at)}${pick(OTHERS)}${piece.slice(at)}`;
    }
    if (next() < 0.2) piece = piece.toUpperCase();
    text += ` ${piece} `;
  }
  return { secrets, text };
}

/** Whether `text` holds a joiner some of `secrets` hold and others not, between two ASCII letters or digits (a space or two apart). */
function holdsDiffering(secrets: readonly string[], text: string): boolean {
  const keys = secrets.map((secret) => [...JOINERS].filter((joiner) => secret.includes(joiner)).join(''));
  return [...text].some((char, at) => {
    if (!JOINERS.includes(char) || keys.every((key) => key.includes(char)) || !keys.some((key) => key.includes(char))) return false;
    // A space or two between allowed, as the piece search reads it (after it JSON's escaped ones, and a space, behind any number of backslashes).
    return /[A-Za-z0-9][ \t\n\r]{0,2}$/.test(text.slice(0, at)) && /^(?:[ \t\n\r]|\\+[tnr \t\n\r]){0,2}[A-Za-z0-9]/.test(text.slice(at + 1));
  });
}

describe('SecretPiecesByJoiners against each group searched alone', () => {
  afterEach(() => vi.restoreAllMocks());

  it('finds the same spans in 3,000 generated cases, with one search for a text holding no differing joiner between letters or digits', () => {
    const searched = vi.spyOn(SecretPieceSearch.prototype, 'findIn');
    const tally = { together: 0, perGroup: 0, togetherWithPieces: 0, perGroupWithPieces: 0, searchesSaved: 0 };
    for (let seed = 1; seed <= 3000; seed++) {
      const { secrets, text } = caseOf(seed);
      const expected = perGroupSpans(secrets, text);
      const search = new SecretPiecesByJoiners(secrets.map((secret) => [secret]));
      searched.mockClear();
      expect(search.find(text), JSON.stringify({ seed, secrets, text })).toEqual(expected);
      const differing = holdsDiffering(secrets, text);
      // Texts of the cases are shorter than RememberedSpans' least: searched every time.
      const calls = searched.mock.calls.length;
      if (!differing || search.groups === 1) {
        tally.together++;
        if (expected.length > 0) tally.togetherWithPieces++;
        tally.searchesSaved += search.groups - calls;
        expect(calls, JSON.stringify({ seed })).toBe(1);
      } else {
        tally.perGroup++;
        if (expected.length > 0) tally.perGroupWithPieces++;
        expect(calls, JSON.stringify({ seed })).toBe(search.groups);
      }
    }
    // Both kinds of text are well represented, pieces found in many of each.
    expect(tally.together).toBeGreaterThan(600);
    expect(tally.perGroup).toBeGreaterThan(600);
    expect(tally.togetherWithPieces).toBeGreaterThan(300);
    expect(tally.perGroupWithPieces).toBeGreaterThan(300);
    // Each group searched every text: a search saved in every case of two sets or more without a differing joiner.
    expect(tally.searchesSaved).toBeGreaterThan(600);
  });
});
