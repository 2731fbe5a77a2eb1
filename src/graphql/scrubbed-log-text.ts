import { MIN_PIECE_LENGTH } from '../upstream/secret-pieces.js';

/**
 * The longest error message one log line scrubs and quotes. The scrub costs per character: text
 * shaped to be slow to scrub (`%2526amp%253B` or `\x5c\u005c` runs) in 20 variables of one
 * request, each message 1,000 characters, took 8-11 times the CPU of the request unscrubbed with
 * 20 accounts, each account's scrub run in turn; clipped and bounded so (below), about 4 times
 * (CHANGELOG.md). Since, one search over every account's secrets reads a text no account's scrub
 * changes (every-account-scrub.ts), a tenth to a twentieth of that scrub's cost (perf29 in
 * docs/benchmark-history.md). The client's answer keeps the whole message.
 */
export const LOGGED_MESSAGE_CHARACTERS = 300;

/** The longest key of a logged path (an alias is the client's name). */
export const LOGGED_PATH_KEY_CHARACTERS = 100;

/**
 * Client text one request's error lines scrub at most, messages and path keys together: past it
 * the request's further errors are counted in its "more errors" line, as past
 * MAX_ERROR_LINES_PER_REQUEST. The line that passes it is still written whole. Room for 20 lines
 * of the gateway's own refusals (about 125 characters each: 1,000 made-up `_entities` ids), 9
 * of 300 characters.
 */
export const SCRUBBED_CHARACTERS_PER_REQUEST = 2_500;

/**
 * `text` scrubbed, clipped to `max` characters first (the scrub's cost is the clipped text's).
 * The scrub finds a credential's encoded forms (hex, %-escapes, `\u` or `&#` escapes, full-width
 * letters) only whole, and a piece of one in none of them: clipped through such a form, its
 * start stood before the cut (20 characters of a key as hex). So where the cut goes through a
 * run of characters without whitespace, a quote, "." or ":" (WORD_BREAK, LABEL_BREAK: the last
 * two only after ASCII), the whole run is left
 * out, as the scrub left it; a form with spaces inside (`D n b 7 K q`), whose pieces the scrub finds from
 * MIN_PIECE_LENGTH characters, keeps what stands before the cut: the last MIN_PIECE_LENGTH - 1
 * characters before it are left out too.
 */
export function scrubClipped(text: string, max: number, scrub: (text: string) => string): string {
  if (text.length <= max) return scrub(text);
  const scrubbed = scrub(text.slice(0, max));
  const runCut = runCutOf(scrubbed, text.charAt(max));
  const cut = Math.max(0, runCut - (MIN_PIECE_LENGTH - 1));
  // Never half a surrogate pair at the cut.
  const end = /[\ud800-\udbff]/.test(scrubbed.charAt(cut - 1)) ? cut - 1 : cut;
  return `${scrubbed.slice(0, end)}...`;
}

/**
 * The first `max` characters of `text` (all of a shorter one) as a line that is scrubbed after it
 * was clipped may keep them: the run the cut goes through left out whole, and the
 * MIN_PIECE_LENGTH - 1 characters before it, as scrubClipped leaves them out after its scrub
 * (where the scrub comes later, as in an audit line, a form with spaces in it keeps fewer than
 * the MIN_PIECE_LENGTH characters a piece is found by).
 */
export function clippedStart(text: string, max: number): string {
  if (text.length <= max) return text;
  const kept = text.slice(0, max);
  const runCut = runCutOf(kept, text.charAt(max));
  const cut = Math.max(0, runCut - (MIN_PIECE_LENGTH - 1));
  return kept.slice(0, /[\ud800-\udbff]/.test(kept.charAt(cut - 1)) ? cut - 1 : cut);
}

/**
 * What ends a run that no encoded form the scrub finds only whole goes past (hex, %-escapes, `\u`
 * and `&#` escapes write none of these): whitespace and a quote (graphql-js writes one inside a
 * value as `\"`) always.
 */
const WORD_BREAK = /[\s"]/;
/**
 * A Host's or an Origin's "." and ":", so that a long name keeps its first labels: a break only
 * where everything before it back to WORD_BREAK is ASCII (a Host name is). A full-width or other
 * lookalike form of a secret (`ｓｅｃｒｅｔ`, circled letters) keeps a secret's own "." and ":" in
 * ASCII, and the scrub finds such a form only whole: broken at its "." the run before it stood
 * in the line, all but the 7 characters left out before a cut (7 of a key's first 13).
 */
const LABEL_BREAK = /[.:]/;
const NOT_ASCII = /[^\x00-\x7f]/;

/** Where the run the cut after `kept` goes through begins (`next`: the character the cut leaves out first). */
function runCutOf(kept: string, next: string): number {
  const word = wordStart(kept);
  if (WORD_BREAK.test(next) || (LABEL_BREAK.test(next) && !NOT_ASCII.test(kept.slice(word)))) return kept.length;
  // The last "." or ":" before the word's first character that is not ASCII: labels past it are one run with the lookalike.
  const lookalike = kept.slice(word).search(NOT_ASCII);
  const asciiEnd = lookalike < 0 ? kept.length : word + lookalike;
  for (let at = asciiEnd; at > word; at--) if (LABEL_BREAK.test(kept.charAt(at - 1))) return at;
  return word;
}

/** Where the word at the end of `text` (no whitespace or quote) begins. */
function wordStart(text: string): number {
  let at = text.length;
  while (at > 0 && !WORD_BREAK.test(text.charAt(at - 1))) at--;
  return at;
}
