import type { Span } from './escape-reading.js';
import { RememberedSpans } from './remembered-spans.js';
import { JOINERS, SPACES_AFTER_JOINER_SOURCE, SPACES_BESIDE_JOINER_SOURCE, SecretPieceSearch } from './secret-pieces.js';

/** The JOINERS among `sources` (one secret's piece sources), in JOINERS' order: the key of the secret's group. */
const joinersOf = (sources: readonly string[]): string => [...JOINERS].filter((joiner) => sources.some((source) => source.includes(joiner))).join('');

/**
 * Where one of `joiners` stands between two ASCII letters or digits, a space or two between
 * allowed, after it JSON's `\t` too (as the piece search's alphanumericsAcrossSpaces reads it): the only place a joiner is
 * passed over by a search that does not hold it, so the only place searches holding different
 * joiners read a text differently.
 */
function standingBetweenAlphanumerics(joiners: string): RegExp {
  const escaped = [...joiners].map((joiner) => `\\${joiner}`).join('');
  return new RegExp(`[A-Za-z0-9]${SPACES_BESIDE_JOINER_SOURCE}[${escaped}]${SPACES_AFTER_JOINER_SOURCE}[A-Za-z0-9]`);
}

/**
 * The piece search for secrets whose own punctuation differs. A joiner one secret holds is
 * counted in the search of that secret's pieces (`Secret-Key-42` is no piece of "secret key"),
 * and in one search for all an account's secrets it was counted for every other one too: with a
 * password `Summer-2026!` beside it, an API key quoted in dash groups went out whole (40 of 40
 * random keys). So the secrets are grouped by the joiners they hold (with their URL and base64
 * forms) and each group has a search of its own: most accounts one (keys and tokens of letters
 * and digits only) or two (a password with punctuation).
 *
 * The groups' searches read a text differently only where a joiner some group holds and another
 * does not (`differing`) stands between two letters or digits. A text with none there is read
 * alike by all of them, and by one search over every secret's sources (which holds the union: a
 * secret's own joiners are its group's, so each secret is read as its group reads it): that one
 * search finds what the groups' together do, for one pass instead of one per group (a regex
 * finds whether the text has such a joiner, native). Otherwise each group searches it.
 *
 * What was found is remembered once for the account (RememberedSpans, by text), not per group:
 * one per group let a two-set account hold twice the documented budget.
 */
export class SecretPiecesByJoiners {
  private readonly searches: readonly SecretPieceSearch[];
  /** One search over all the groups' sources; null with fewer than two groups. */
  private readonly together: SecretPieceSearch | null;
  /** Where a joiner some group holds and another does not stands between two letters or digits; null with fewer than two groups. */
  private readonly differing: RegExp | null;
  private readonly remembered = new RememberedSpans();

  /** `secrets`: each secret's piece sources (the secret, URL-encoded, its base64 forms). */
  constructor(secrets: Iterable<readonly string[]>) {
    const groups = new Map<string, string[]>();
    for (const sources of secrets) {
      const key = joinersOf(sources);
      const group = groups.get(key);
      if (group === undefined) groups.set(key, [...sources]);
      else group.push(...sources);
    }
    this.searches = [...groups.values()].map((sources) => new SecretPieceSearch(sources)).filter((search) => search.looksForPieces);
    const keys = [...groups.keys()];
    const differing = [...JOINERS].filter((joiner) => keys.some((key) => key.includes(joiner)) && !keys.every((key) => key.includes(joiner))).join('');
    const many = this.searches.length > 1 && differing.length > 0;
    this.together = many ? new SecretPieceSearch([...groups.values()].flat()) : null;
    this.differing = many ? standingBetweenAlphanumerics(differing) : null;
  }

  /** Whether a piece of any secret may start with the characters `first` then `second` (SecretPieceSearch.mayStartWith). */
  mayStartWith(first: number, second: number): boolean {
    return this.searches.some((search) => search.mayStartWith(first, second));
  }

  /** The pieces of any secret that start at one of `starts` (in order) of `text`: in order, apart (SecretPieceSearch.findStartingAt). */
  startingAt(text: string, starts: readonly number[]): Span[] {
    const spans: Span[] = [];
    for (const search of this.searches) {
      const found: Span[] = [];
      for (const start of starts) search.findStartingAt(text, start, found);
      spans.push(...found);
    }
    return this.searches.length === 1 ? spans : mergedSpans(spans.sort((a, b) => a[0] - b[0]));
  }

  /** How many searches a text may be given: one per distinct set of joiners the secrets hold (that has pieces to look for). */
  get groups(): number {
    return this.searches.length;
  }

  /** The copy of `text` the account's piece memory holds, if it holds one (RememberedSpans.heldCopy). */
  heldCopy(text: string): string | undefined {
    return this.remembered.heldCopy(text);
  }

  /** The parts of `text` holding a piece of any secret: in order, apart (each group's found, made one where they overlap). */
  find(text: string): Span[] {
    if (this.searches.length === 0) return [];
    return this.remembered.find(text, (asked) => this.search(asked));
  }

  /**
   * The pieces of any secret standing wholly within `stretches` of `text` (stretchAround's, in
   * order, apart), as `find` finds them there, and maybe more that read on past one; the groups'
   * searches or the one over all as `find` chooses for the whole text. Not remembered: only a
   * text's stretches are read.
   */
  findWithin(text: string, stretches: readonly Span[]): Span[] {
    if (this.searches.length === 0) return [];
    return this.search(text, (search) => search.findWithin(text, stretches));
  }

  private search(text: string, findIn: (search: SecretPieceSearch) => Span[] = (search) => search.findIn(text)): Span[] {
    if (this.searches.length === 1) return findIn(this.searches[0] as SecretPieceSearch);
    if (this.together !== null && !(this.differing as RegExp).test(text)) return findIn(this.together);
    return mergedSpans(this.searches.flatMap(findIn).sort((a, b) => a[0] - b[0]));
  }
}

/** `spans` (sorted by start) with overlapping ones made one, as each search makes its own. */
function mergedSpans(spans: readonly Span[]): Span[] {
  const merged: Span[] = [];
  for (const span of spans) {
    const previous = merged.at(-1);
    if (previous && span[0] < previous[1]) previous[1] = Math.max(previous[1], span[1]);
    else merged.push([span[0], span[1]]);
  }
  return merged;
}
