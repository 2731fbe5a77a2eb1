import { ownCopy, seenKey } from './remembered-spans.js';

/**
 * Which texts a Search's whole scrub is remembered for, by text: an uncached dashboard asks the
 * scrubber again about the same answers on every poll (some 84% of its characters, four providers
 * at 50 instances: an unchanged list, each instance's unchanged details), and each asked paid
 * every step again: the invisible-character check, a search per form, the lookalike patterns, the
 * search through escapes and the piece search's sampled pass. A Map finds the text again by V8's
 * native hash and compare. The same secrets give the same text the same scrub (a Search is made
 * anew whenever its secrets change), so what is answered from memory is what the scrub would
 * write. From `least` characters (shorter texts cost less to search than to remember) to `most`,
 * at most `all` characters held per Search (the texts and, where a secret was redacted, their
 * scrubbed texts), the least recently asked forgotten first.
 */
export const REMEMBERED_SCRUB_CHARS = { least: 128, most: 500_000, all: 1_000_000 } as const;

/** seenKey of the last this many texts asked about once and not remembered. */
const SEEN_TEXTS = 1024;

/**
 * Scrubbed texts by their text, remembered the second time one like it (seenKey: its length and
 * its ends) is asked about, as RememberedSpans does: Danube's answers carry a new `task_id` on
 * every read and, remembered at once, would push out the lists polls do ask again.
 */
export class RememberedScrubs {
  /** Each remembered text (its own copy, ownCopy) and its scrub, least recently asked first; the scrub is the copy itself where nothing was redacted. */
  private readonly scrubbed = new Map<string, { readonly text: string; readonly out: string }>();
  private heldChars = 0;
  private readonly seenOnce = new Set<number>();

  /**
   * `copyOf`: a string of `text`'s own characters to hold (ownCopy). A Search passes one that
   * answers the copy its piece memory already holds of the same text: a text is remembered by
   * both at the same (second) sighting, and two copies held up to 1 MB more per account.
   */
  constructor(private readonly copyOf: (text: string) => string = ownCopy) {}

  /** `scrub(text)`, from memory where `text` was remembered. */
  scrub(text: string, scrub: (text: string) => string): string {
    if (text.length < REMEMBERED_SCRUB_CHARS.least || text.length > REMEMBERED_SCRUB_CHARS.most) return scrub(text);
    const known = this.scrubbed.get(text);
    if (known !== undefined) {
      // Put back last under the copy held, not under `text`, which may be a view of a longer string.
      this.scrubbed.delete(known.text);
      this.scrubbed.set(known.text, known);
      return known.out;
    }
    const out = scrub(text);
    if (this.seenBefore(text)) this.remember(text, out);
    return out;
  }

  private seenBefore(text: string): boolean {
    const key = seenKey(text);
    if (this.seenOnce.delete(key)) return true;
    this.seenOnce.add(key);
    if (this.seenOnce.size > SEEN_TEXTS) this.seenOnce.delete(this.seenOnce.values().next().value as number);
    return false;
  }

  private remember(text: string, out: string): void {
    const copy = this.copyOf(text);
    const entry = { text: copy, out: out === text ? copy : ownCopy(out) };
    this.scrubbed.set(copy, entry);
    this.heldChars += charsOf(entry);
    for (const [held, heldEntry] of this.scrubbed) {
      if (this.heldChars <= REMEMBERED_SCRUB_CHARS.all) break;
      this.scrubbed.delete(held);
      this.heldChars -= charsOf(heldEntry);
    }
  }
}

/** What an entry holds: its text, and its scrub where that is another string. */
const charsOf = ({ text, out }: { readonly text: string; readonly out: string }): number => text.length + (out === text ? 0 : out.length);
