import type { Span } from './escape-reading.js';
import { JOINERS, SecretPieceSearch } from './secret-pieces.js';

/** The JOINERS among `sources` (one secret's piece sources), in JOINERS' order: the key of the secret's group. */
const joinersOf = (sources: readonly string[]): string => [...JOINERS].filter((joiner) => sources.some((source) => source.includes(joiner))).join('');

/**
 * The piece search for secrets whose own punctuation differs. A joiner one secret holds is
 * counted in the search of that secret's pieces (`Secret-Key-42` is no piece of "secret key"),
 * and in one search for all an account's secrets it was counted for every other one too: with a
 * password `Summer-2026!` beside it, an API key quoted in dash groups went out whole (40 of 40
 * random keys). So the secrets are grouped by the joiners they hold (with their URL and base64
 * forms) and each group has a search of its own: a text is searched once per distinct set, most
 * accounts one (keys and tokens of letters and digits only) or two (a password with punctuation).
 */
export class SecretPiecesByJoiners {
  private readonly searches: readonly SecretPieceSearch[];

  /** `secrets`: each secret's piece sources (the secret, URL-encoded, its base64 forms). */
  constructor(secrets: Iterable<readonly string[]>) {
    const groups = new Map<string, string[]>();
    for (const sources of secrets) {
      const key = joinersOf(sources);
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [...sources]);
      else group.push(...sources);
    }
    this.searches = [...groups.values()].map((sources) => new SecretPieceSearch(sources));
  }

  /** How many searches a text is given: one per distinct set of joiners the secrets hold. */
  get groups(): number {
    return this.searches.length;
  }

  /** The parts of `text` holding a piece of any secret: in order, apart (each group's found, made one where they overlap). */
  find(text: string): Span[] {
    if (this.searches.length === 1) return (this.searches[0] as SecretPieceSearch).find(text);
    const spans = this.searches.flatMap((search) => search.find(text)).sort((a, b) => a[0] - b[0]);
    const merged: Span[] = [];
    for (const span of spans) {
      const previous = merged.at(-1);
      if (previous && span[0] < previous[1]) previous[1] = Math.max(previous[1], span[1]);
      else merged.push([span[0], span[1]]);
    }
    return merged;
  }
}
