// The split-words search as it was before a backslash's next character was read by its code (git show 567ec09e:src/upstream/split-word-search.ts), verbatim: the old scrubber's (secrets.ts here) lookalikes use it.
/**
 * The search for a secret of small letters only split into words or lines (lookalike-secrets.ts,
 * splitWordSource), in time proportional to the text. As one global regex it was tried at every
 * place of the text and read up to twice the secret's length from each: 1 MB of "a a a a ..."
 * against a 512-letter session a hostile provider handed out ("aaa...ab") held the event loop
 * some 20 s, and a 19-letter password cost a tenth of a second per MB of such text.
 *
 * Here the text is read once into its letters (each as the small ASCII letter it reads as, any
 * other character a stop, whitespace, "+" and their escapes (SPLIT_RUN_SOURCE) left out), the secret is looked for
 * in them (Knuth-Morris-Pratt), and only where it is there is the regex run, anchored, to find
 * the span: the work is the text's length and the matches', whatever the secret.
 */

/**
 * JSON's `\uXXXX` escape of whitespace (each character `\s` is with the u flag) or "+": an encoder
 * that escapes every character past ASCII (PHP's, Python's) or a provider's own escaping writes
 * `nightowl\u00a0password`, which JSON.parse makes "nightowl password" in a name or a raw field
 * after the answer's scrub has read the escape as no split. All but U+FEFF, the BOM: its letters
 * (`\ufeff`) could start a match inside it, and it is invisible-characters.ts's to read out.
 */
export const ESCAPED_SPLIT_SOURCE = String.raw`\\u(?:00(?:0[9a-dA-D]|20|2[bB]|[aA]0)|1680|200[0-9aA]|202[89fF]|205[fF]|3000)`;

/**
 * A URL's escape of the same: ASCII's (`%20`, `%0A`, `%2B`), and the UTF-8 of whitespace past it
 * (`%C2%A0`, `%E2%80%83`, `%E3%80%80`) but U+202F's `%E2%80%AF`, whose letters could start a match
 * inside it (an error's link quoting `nightowl%C2%A0password` kept the key whole). That one, like
 * `\x20`, `\u{20}` and HTML's `&nbsp;`, is read as a space by the second reading of an answer
 * holding it (escaped-whitespace.ts, invisible-characters.ts), which this search then reads.
 */
const PERCENT_SPLIT_SOURCE = '%(?:20|0[9a-dA-D]|2[bB]|[cC]2%[aA]0|[eE]1%9[aA]%80|[eE]2%(?:80%(?:8[0-9aA]|[aA][89])|81%9[fF])|[eE]3%80%80)';

/**
 * What a provider may put between two letters of a secret it splits into words or lines, as the
 * split-words regex reads it (lookalike-secrets.ts): any run of whitespace or "+", as it stands or
 * as JSON's (`\n`, `\u0020`) or a URL's (`%20`, `%C2%A0`) escape. Each starts with a
 * character no letter class holds, so the pattern does not backtrack; runLengthAt reads the same.
 */
export const SPLIT_RUN_SOURCE = String.raw`(?:[\s+]|\\[nrtfv]|${ESCAPED_SPLIT_SOURCE}|${PERCENT_SPLIT_SOURCE})*`;

const ESCAPED_SPLIT = new RegExp(ESCAPED_SPLIT_SOURCE, 'y');
const PERCENT_SPLIT = new RegExp(PERCENT_SPLIT_SOURCE, 'y');

/** Whitespace the regex's `\s` (with the u flag) is, beyond ASCII's. */
const UNICODE_SPACE = /\s/u;

/** How many characters at `at` are one piece of SPLIT_RUN_SOURCE: whitespace or "+", `\n`-style, `\u0020`-style, `%20`-style and `%C2%A0`-style escapes; 0 where none is. */
function runLengthAt(text: string, at: number, code: number): number {
  if (code === 0x20 || code === 0x2b || (code >= 0x09 && code <= 0x0d)) return 1;
  if (code === 0x5c) return backslashRunLengthAt(text, at);
  if (code === 0x25) {
    PERCENT_SPLIT.lastIndex = at;
    return PERCENT_SPLIT.exec(text)?.[0].length ?? 0;
  }
  if (code >= 0x80 && code <= 0xffff) return UNICODE_SPACE.test(text.charAt(at)) ? 1 : 0;
  return 0;
}

/** How many characters of the backslash at `at` are one escape of SPLIT_RUN_SOURCE: 2 for `\n`, 6 for `\u0020`, 0 for none (a constant read). */
function backslashRunLengthAt(text: string, at: number): number {
  const kind = text.charAt(at + 1);
  if (kind === 'u') {
    ESCAPED_SPLIT.lastIndex = at;
    return ESCAPED_SPLIT.test(text) ? 6 : 0;
  }
  return /[nrtfv]/.test(kind) ? 2 : 0;
}

/**
 * Walks the letters of `text`: `visit` is called with each letter as the small ASCII letter's
 * code it reads as (0 for any other character) and where it starts; `escapedLetter` with the
 * letter an escape in a run ends in (`\n`, `%0a`, `%2b`, `\u200a`) and where it stands, since the regex
 * may start a match there. `letterOf` reads a character past ASCII (a code point) as its small
 * ASCII letter, or null.
 */
function walkLetters(
  text: string,
  letterOf: (codePoint: number) => string | null,
  visit: (letter: number, at: number) => void,
  escapedLetter: (letter: number, at: number) => void,
): void {
  for (let at = 0; at < text.length; ) {
    const code = text.charCodeAt(at);
    const run = runLengthAt(text, at, code);
    if (run > 1) {
      const last = text.charCodeAt(at + run - 1);
      if ((last >= 0x41 && last <= 0x5a) || (last >= 0x61 && last <= 0x7a)) escapedLetter(last | 0x20, at + run - 1);
    }
    if (run > 0) {
      at += run;
      continue;
    }
    if (code < 0x80) {
      visit((code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) ? code | 0x20 : 0, at);
      at += 1;
      continue;
    }
    const codePoint = text.codePointAt(at) as number;
    visit(letterOf(codePoint)?.charCodeAt(0) ?? 0, at);
    at += codePoint > 0xffff ? 2 : 1;
  }
}

/** Where `needle` starts in `haystack[0, length)`, overlapping ones too, as marks (Knuth-Morris-Pratt: linear in both). */
function occurrences(haystack: Uint8Array, length: number, needle: Uint8Array): Uint8Array {
  const marks = new Uint8Array(length + 1);
  const fallback = new Int32Array(needle.length);
  for (let index = 1, matched = 0; index < needle.length; index++) {
    while (matched > 0 && needle[index] !== needle[matched]) matched = fallback[matched - 1] as number;
    if (needle[index] === needle[matched]) matched++;
    fallback[index] = matched;
  }
  for (let index = 0, matched = 0; index < length; index++) {
    while (matched > 0 && haystack[index] !== needle[matched]) matched = fallback[matched - 1] as number;
    if (haystack[index] === needle[matched]) matched++;
    if (matched === needle.length) {
      marks[index - needle.length + 1] = 1;
      matched = fallback[matched - 1] as number;
    }
  }
  return marks;
}

/** Counts of the search's work, for tests: letters read, and anchored regex runs. */
export const splitWordWork = { lettersRead: 0, anchoredRuns: 0 };

/**
 * Where `letters` (a secret of small ASCII letters, two or more) stands in `text` as `anchored`
 * (the secret's split-words regex, sticky) matches it, as the global regex did: each span once,
 * leftmost first, apart.
 */
export function splitWordSpans(text: string, letters: string, anchored: RegExp, letterOf: (codePoint: number) => string | null): Array<[number, number]> {
  const codes = new Uint8Array(text.length);
  let count = 0;
  const none = (): void => {};
  walkLetters(text, letterOf, (letter) => {
    codes[count++] = letter;
  }, none);
  splitWordWork.lettersRead += count;
  // The secret less its first letter: after that letter, or after an escape ending in it.
  const first = letters.charCodeAt(0);
  const restAt = occurrences(codes, count, Buffer.from(letters.slice(1), 'latin1'));
  if (!restAt.includes(1)) return [];
  const starts: number[] = [];
  let index = 0;
  walkLetters(
    text,
    letterOf,
    (letter, at) => {
      if (letter === first && restAt[index + 1] === 1) starts.push(at);
      index++;
    },
    (letter, at) => {
      if (letter === first && restAt[index] === 1) starts.push(at);
    },
  );
  const spans: Array<[number, number]> = [];
  for (const start of starts) {
    if (spans.length > 0 && start < (spans.at(-1) as [number, number])[1]) continue;
    splitWordWork.anchoredRuns++;
    anchored.lastIndex = start;
    const match = anchored.exec(text);
    if (match !== null) spans.push([start, start + match[0].length]);
  }
  return spans;
}
