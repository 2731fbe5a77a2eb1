/**
 * Whether a sticky regex matches at any place of a text where a marker character ("\\", "%", "&")
 * stands: the scrubber's checks of whether an answer holds an escape, an invisible character or
 * what could show a secret (escaped-secrets.ts, invisible-characters.ts). A search for each marker
 * and a match anchored there costs a fraction of a regex scan of the whole text, as answers hold
 * many a "%" and "&" (URLs).
 *
 * A hostile answer made of markers (4 MB of "\\", of "%", of "&") made that a regex run per
 * character, each trying every alternative: 3-4 times a plain list's scrub. So the character after
 * the marker is asked first (or, for patterns whose every alternative starts with one or two
 * backslashes and then no backslash, the character after those): a regex runs only where it is
 * one an alternative can go on with.
 */

/**
 * The ASCII characters an alternative can have right after its marker, as a table: ANY_NEXT, or
 * HEX_NEXT for one every alternative has a hex digit after (every backslash alternative going on
 * with "x": a hostile run of `\x`, 1 MB of it 2-3 times a plain list's scrub, was three regex runs
 * at each backslash).
 */
export type Followers = Uint8Array;

const ANY_NEXT = 1;
const HEX_NEXT = 2;

/** `chars` as Followers, those of `hexNext` (some of `chars`) with a hex digit after them. */
export function followers(chars: string, hexNext = ''): Followers {
  const table = new Uint8Array(128);
  for (const char of chars) table[char.charCodeAt(0)] = hexNext.includes(char) ? HEX_NEXT : ANY_NEXT;
  return table;
}

/** Hex digits, either case: what follows "%" in every %XX escape. */
export const HEX_DIGITS = '0123456789abcdefABCDEF';
/** What follows "&" in every HTML reference: "#" or a letter of a name. */
export const REFERENCE_STARTS = '#abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

const BACKSLASH = 0x5c;
const HEX = followers(HEX_DIGITS);
export const isHexDigit = (code: number): boolean => code < 128 && HEX[code] === ANY_NEXT;

/**
 * Whether `sticky` matches at a place of `text` where `marker` stands and a character of `follows`
 * comes next; with `oneOrTwoBackslashes` (the marker a backslash), next after a second backslash
 * where one stands.
 */
export function matchesAtEach(text: string, marker: string, sticky: RegExp, follows: Followers, oneOrTwoBackslashes = false): boolean {
  for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + 1)) {
    let nextAt = at + 1;
    if (oneOrTwoBackslashes && text.charCodeAt(nextAt) === BACKSLASH) nextAt++;
    const next = text.charCodeAt(nextAt);
    const kind = next < 128 ? (follows[next] as number) : 0;
    if (kind === 0 || (kind === HEX_NEXT && !isHexDigit(text.charCodeAt(nextAt + 1)))) continue;
    sticky.lastIndex = at;
    if (sticky.test(text)) return true;
  }
  return false;
}
