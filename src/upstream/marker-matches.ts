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
 * The ASCII characters an alternative can have right after its marker, as a table (`first`), and
 * for some of them what the alternatives have after that (`then`, by the character's code): every
 * backslash alternative going on with "x" has a hex digit next, so a hostile run of `\x` (1 MB of
 * it cost 2-3 times a plain list, three regex runs at each) asks no regex.
 */
export interface Followers {
  first: Uint8Array;
  then: ReadonlyArray<Uint8Array | undefined>;
}

/** `chars` as Followers; `then`: for some of them, the characters that can come after each. */
export function followers(chars: string, then: Readonly<Record<string, string>> = {}): Followers {
  const first = asciiTable(chars);
  const after: Array<Uint8Array | undefined> = [];
  for (const [char, next] of Object.entries(then)) after[char.charCodeAt(0)] = asciiTable(next);
  return { first, then: after };
}

const asciiTable = (chars: string): Uint8Array => {
  const table = new Uint8Array(128);
  for (const char of chars) table[char.charCodeAt(0)] = 1;
  return table;
};

/** Hex digits, either case: what follows "%" in every %XX escape. */
export const HEX_DIGITS = '0123456789abcdefABCDEF';
/** What follows "&" in every HTML reference: "#" or a letter of a name. */
export const REFERENCE_STARTS = '#abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

const BACKSLASH = 0x5c;

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
    if (!(next < 128 && follows.first[next] === 1)) continue;
    const then = follows.then[next];
    if (then !== undefined) {
      const after = text.charCodeAt(nextAt + 1);
      if (!(after < 128 && then[after] === 1)) continue;
    }
    sticky.lastIndex = at;
    if (sticky.test(text)) return true;
  }
  return false;
}
