import type { Span } from './escape-reading.js';

/**
 * Which answers' pieces are remembered, by their text: a provider answers a poll of an unchanged
 * list with the same text (an uncached four-provider dashboard: some 80% of the characters the
 * search was asked about, ZStack's 270,000-character list among them), and a Map finds that text
 * again by V8's own hash and compare, native, a fraction of the char-by-char pass. Texts from
 * `least` (shorter cost less to search than to remember) to `most` characters, at most `all`
 * characters of them held per account (one memory for all its searches, however many sets of
 * punctuation its secrets hold: one per set let a password with `-` beside a key hold twice
 * this), the least recently asked forgotten first.
 */
export const REMEMBERED_CHARS = { least: 512, most: 500_000, all: 1_000_000 } as const;

/**
 * A text is remembered the second time one like it is asked about, not the first: Danube answers
 * every read with a new `task_id` (`{"status":...,"result":...,"task_id":"1e1-<uuid>"}`), and
 * those answers, never asked again, filled the budget (461,000 characters at four providers in
 * `bench:memory`, 252 misses and no hit) and pushed out the lists that polls do ask again. "Like
 * it": the same length and the same SEEN_EDGE characters at either end, as a number
 * (`seenKey`), so a text is not held to know it was seen; the last SEEN_TEXTS such numbers are
 * kept. A poll of an unchanged list is searched twice, then found again.
 */
const SEEN_EDGE = 96;
const SEEN_TEXTS = 1024;

/** A number for `text`'s length and its SEEN_EDGE characters at either end (two texts may share one: then the second is remembered at once). */
export function seenKey(text: string): number {
  let hash = text.length | 0;
  const mix = (at: number): void => {
    hash = (Math.imul(hash, 0x01000193) ^ text.charCodeAt(at)) | 0;
  };
  for (let at = 0; at < SEEN_EDGE; at++) mix(at);
  for (let at = text.length - SEEN_EDGE; at < text.length; at++) mix(at);
  return hash;
}

/**
 * `text` in characters of its own. A text cut from a longer one (scrubInTurns' last piece of a
 * 32 MiB answer) is, in V8, a view that keeps the whole longer text alive: remembered as it came,
 * 2,000 characters counted against the budget held a 4 MiB answer each. Joined to a character
 * first, the text is copied out flat, and the view taken of that copy holds one character more.
 */
export const ownCopy = (text: string): string => ` ${text}`.slice(1);

/** The spans a search found in recent texts, by text, within REMEMBERED_CHARS.all characters held. */
export class RememberedSpans {
  /**
   * What the search answered for recent texts, by text, least recently asked first. Each entry
   * holds its own key (the copy `remember` made): put back after a hit under the text just asked
   * with, a Map keeps that new key, and that text may be a view of a 32 MiB answer (ownCopy).
   */
  private readonly answered = new Map<string, { readonly text: string; readonly spans: readonly Span[] }>();
  private answeredChars = 0;
  /** seenKey of the texts asked about once and not remembered, least recently asked first. */
  private readonly seenOnce = new Set<number>();

  /**
   * The copy of `text` this memory holds as a key, if it holds one: RememberedScrubs keeps that
   * string rather than a copy of its own (the same string object held twice costs nothing twice).
   */
  heldCopy(text: string): string | undefined {
    return this.answered.get(text)?.text;
  }

  /** What `search` finds in `text`: remembered if it was, else searched (and remembered at the second sighting). */
  find(text: string, search: (text: string) => Span[]): Span[] {
    if (text.length < REMEMBERED_CHARS.least || text.length > REMEMBERED_CHARS.most) return search(text);
    const known = this.answered.get(text);
    if (known !== undefined) {
      this.answered.delete(known.text);
      this.answered.set(known.text, known);
      return known.spans.map(([start, end]): Span => [start, end]);
    }
    const found = search(text);
    if (this.seenBefore(text)) this.remember(text, found);
    return found;
  }

  /** Whether a text like `text` was asked about before; noted if not (see SEEN_EDGE). */
  private seenBefore(text: string): boolean {
    const key = seenKey(text);
    if (this.seenOnce.delete(key)) return true;
    this.seenOnce.add(key);
    if (this.seenOnce.size > SEEN_TEXTS) this.seenOnce.delete(this.seenOnce.values().next().value as number);
    return false;
  }

  private remember(text: string, found: readonly Span[]): void {
    const copy = ownCopy(text);
    this.answered.set(copy, { text: copy, spans: found.map(([start, end]): Span => [start, end]) });
    this.answeredChars += text.length;
    for (const held of this.answered.keys()) {
      if (this.answeredChars <= REMEMBERED_CHARS.all) break;
      this.answered.delete(held);
      this.answeredChars -= held.length;
    }
  }
}
