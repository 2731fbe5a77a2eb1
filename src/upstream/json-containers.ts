import { nextTurn } from '../domain/turns.js';

/**
 * JSON objects and arrays one provider answer may hold. JSON.parse cannot be
 * cut into turns, and its time goes with the values it builds more than with
 * the text: 32 MiB of `[{},{},...]` (within the answer size limit) is 11
 * million objects, parsed in 13-39 s of one blocked event loop (every client
 * waiting, the health checks too) into some 680 MB of heap, where 32 MiB of
 * rows of 40 characters (840,000 of them) parse in half a second. The largest
 * answer the project has met, 300,000 backups of one VM in 25 MB, holds a
 * fraction of this.
 */
export const MAX_JSON_CONTAINERS = 2_000_000;

/** A text of at most this many characters cannot hold more than MAX_JSON_CONTAINERS (`{}` is two characters): never counted. */
export const UNCOUNTED_CHARS = 2 * MAX_JSON_CONTAINERS;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;

/**
 * Whether `text` (JSON, or what claims to be) opens more than `limit` objects and arrays outside
 * its strings. A text of at most twice the limit cannot (`{}` is two characters) and is not read;
 * a longer one is read `charsPerTurn` characters at a time, other work running between.
 */
export async function holdsMoreContainers(text: string, charsPerTurn: number, limit = MAX_JSON_CONTAINERS): Promise<boolean> {
  if (text.length <= 2 * limit) return false;
  // Read a character at a time, 32 MiB of rows took 760 ms (more than JSON.parse's 420 ms); found
  // by indexOf, 40 ms: a text with no more braces and brackets than the limit, those in its strings
  // included, cannot open more containers, and a large answer of the usual shape has far fewer.
  if (openingsAtMost(text, limit)) return false;
  let containers = 0;
  let inString = false;
  let index = 0;
  while (index < text.length) {
    if (index > 0) await nextTurn();
    const end = Math.min(text.length, index + charsPerTurn);
    for (; index < end; index++) {
      const code = text.charCodeAt(index);
      if (inString) {
        // An escape's next character is never a string's end (it may be read in the next turn).
        if (code === BACKSLASH) index++;
        else if (code === QUOTE) inString = false;
      } else if (code === QUOTE) {
        inString = true;
      } else if ((code === OPEN_BRACE || code === OPEN_BRACKET) && ++containers > limit) {
        return true;
      }
    }
  }
  return false;
}

/** Whether `text` holds at most `limit` characters `{` and `[`, in its strings or not. */
function openingsAtMost(text: string, limit: number): boolean {
  let count = 0;
  for (const opening of ['{', '[']) {
    for (let at = text.indexOf(opening); at !== -1; at = text.indexOf(opening, at + 1)) {
      if (++count > limit) return false;
    }
  }
  return true;
}
