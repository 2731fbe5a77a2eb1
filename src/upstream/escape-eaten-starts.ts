import { escapePassedOver } from './secret-pieces.js';

/**
 * The piece search (secret-pieces.ts) passes over an escape of whitespace or a quote whole (`%2B`,
 * `%20`, `\n`), the hex digits or letter that end it with it. A piece of a secret starting with
 * those characters lost them to the escape: `%2b7Kq8Rw2` (the password `b7Kq8Rw2...` quoted
 * after a stray `%2`, its other half elsewhere) showed 8 characters of it, 7 to a reader decoding
 * `%2b`, and the search counted 7, no piece. These are the places where such a piece may start:
 * the piece search is asked for one starting there (SecretPiecesByJoiners.startingAt), one window
 * per place, not a second pass over the text.
 */

const isAlphanumeric = (code: number): boolean => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

/**
 * The letters and digits ending an escape the piece search passes over, with a letter or digit
 * after the escape, where a piece may start (`mayStartWith`: a bitmap of the secrets' pieces'
 * first two characters, which turns away nearly every `\nline` of a text): in order.
 */
export function escapeEatenStarts(text: string, mayStartWith: (first: number, second: number) => boolean): number[] {
  const starts: number[] = [];
  // The cheap tests first (what follows, the bitmap), the piece search's own reading of the escape last: a hostile answer may be an escape every third character.
  for (let at = text.indexOf('\\'); at !== -1; at = text.indexOf('\\', at + 1)) {
    const kind = text.charCodeAt(at + 1);
    const next = text.charCodeAt(at + 2);
    // A backslash before another is JSON's `\\`, one passed over: the one after it is asked in turn.
    if (isAlphanumeric(next) && isAlphanumeric(kind) && mayStartWith(kind, next) && escapePassedOver(text, at) === 2) starts.push(at + 1);
  }
  const percentStarts = starts.length;
  for (let at = text.indexOf('%'); at !== -1; at = text.indexOf('%', at + 1)) {
    const high = text.charCodeAt(at + 1);
    const low = text.charCodeAt(at + 2);
    const next = text.charCodeAt(at + 3);
    if (!isAlphanumeric(next) || !isAlphanumeric(high) || !isAlphanumeric(low) || escapePassedOver(text, at) !== 3) continue;
    if (mayStartWith(high, low)) starts.push(at + 1);
    if (mayStartWith(low, next)) starts.push(at + 2);
  }
  return percentStarts === 0 || percentStarts === starts.length ? starts : starts.sort((a, b) => a - b);
}
