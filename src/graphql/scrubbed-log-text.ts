import { MIN_PIECE_LENGTH } from '../upstream/secret-pieces.js';

/**
 * The longest error message one log line scrubs and quotes. The scrub runs once per account and
 * costs per character: text shaped to be slow to scrub (`%2526amp%253B` or `\x5c\u005c` runs)
 * in 20 variables of one request, each message 1,000 characters, took 8-11 times the CPU of the
 * request unscrubbed with 20 accounts; clipped and bounded so (below), about 4 times (CHANGELOG.md).
 * The client's answer keeps the whole message.
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
 * A secret the cut goes through keeps what stands before the cut: the scrub finds any run of
 * MIN_PIECE_LENGTH of its characters, so the last MIN_PIECE_LENGTH - 1 characters before the cut
 * are left out too.
 */
export function scrubClipped(text: string, max: number, scrub: (text: string) => string): string {
  if (text.length <= max) return scrub(text);
  const scrubbed = scrub(text.slice(0, max));
  const cut = Math.max(0, scrubbed.length - (MIN_PIECE_LENGTH - 1));
  // Never half a surrogate pair at the cut.
  const end = /[\ud800-\udbff]/.test(scrubbed.charAt(cut - 1)) ? cut - 1 : cut;
  return `${scrubbed.slice(0, end)}...`;
}
