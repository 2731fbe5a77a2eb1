import { ESCAPED_SPLIT_SOURCE } from './split-word-search.js';

/**
 * Whitespace (each character `\s` is with the u flag, but the BOM, and "+") written as escapes the
 * scrubber's main pass does not read as a split: `\x20` and `\xc2\xa0` (a Python or C literal;
 * a byte string's UTF-8), Python's `\U00000020`, `\u{20}` (JavaScript, Rust), JSON's `\\u0020` (such a literal inside a
 * JSON string), HTML's references (`&#32;`, `&#x20;`, `&#160;`, `&nbsp;`, `&ensp;`, `&Tab;`) and
 * U+202F percent-encoded (`%E2%80%AF`, which the split-words search leaves out:
 * split-word-search.ts). A provider quoting `nightowl&nbsp;password` for `nightowlpassword`, or
 * `correct\x20horse battery` for `correct horse battery`, had it go out whole: the split-words
 * search reads only JSON's and URLs' escapes, and the search through escapes reads an answer only
 * where an escape may hide a secret's letters. An answer holding one is read once more with each
 * as a space (invisible-characters.ts, `readHidden`), only then.
 *
 * Each alternative starts with "\", "&" or "%" and is a fixed run but for leading zeros (`0*`,
 * which nothing else around it can take): none backtracks past its own characters.
 */

/**
 * One backslash, two, four or eight: an escape as it stands, or as a JSON string holding it shows it
 * (`\\x20`), or one inside another (`\\\\u0020`, three JSON strings deep), each doubling the
 * backslashes before it, as deep as the search through escapes reads (MAX_READINGS). Behind four,
 * `Dnb7Kq8\\\\u0020Rw2Zx4L` left 7 characters on either side: the reading kept the first two as
 * JSON's `\\` and read the last two with the escape as a space, and the piece search counted the
 * backslash left before that space. Greedy, backing off to two and one: a run of three or more
 * before no escape costs a match at each backslash, as before.
 */
export const BACKSLASHES = String.raw`\\(?:\\(?:\\{2}(?:\\{4})?)?)?`;

/**
 * A backslash percent-encoded, once or twice (`%5Cx00`, `%255Cu200b`): a Python or C literal, or a
 * JSON escape, inside a URL (a provider's link quoting the key it was sent in its repr). The
 * alternatives read after a backslash are built for this too (invisible-characters.ts).
 */
export const PERCENT_BACKSLASH = '%(?:25)?5[cC]';

/** The hex of each such code point, any case: 9-D, 20, 2B, A0, 1680, 2000-200A, 2028, 2029, 202F, 205F, 3000. */
const WHITESPACE_HEX = '(?:[9a-dA-D]|20|2[bB]|[aA]0|1680|200[0-9aA]|202[89fF]|205[fF]|3000)';

/** The same in decimal: 9-13, 32, 43, 160, 5760, 8192-8202, 8232, 8233, 8239, 8287, 12288. */
const WHITESPACE_DECIMAL = '(?:9|1[0-3]|32|43|160|5760|819[2-9]|820[0-2]|823[239]|8287|12288)';

/** `\xNN` of a whitespace byte (Latin-1: `\xa0` is U+00A0), when not inside a UTF-8 sequence (invisible-characters.ts reads those first). */
export const latin1BackslashWhitespace = (backslash: string): string => String.raw`${backslash}x(?:0[9a-dA-D]|20|2[bB]|[aA]0)`;

/**
 * Byte patterns a space apart (UTF-8 sequences) percent-encoded, each byte with the same `levels`
 * of "25" after its "%" (`%25E2%2580%258B`; no mix of levels, which no encoder writes): one
 * alternative for every level, the group `name` (unique in any regex holding it) the level the
 * first byte has. Alternatives per level made the match at each "%" of a hostile run of them
 * (`%25E2%2580...`) try three times as many.
 */
export const levelledPercentBytes = (sequences: readonly string[], name: string, levels: string): string =>
  `%(?<${name}>${levels})(?:${sequences.map((bytes) => bytes.split(' ').map((byte, index) => (index === 0 ? byte : `%\\k<${name}>${byte}`)).join('')).join('|')})`;

/** Byte patterns a space apart (`e2 80 8b`: UTF-8 sequences), each byte written as `prefix` and its hex. */
export const bytesSource = (sequences: readonly string[], prefix: string): string =>
  sequences.map((bytes) => `(?:${bytes.split(' ').map((byte) => `${prefix}${byte}`).join('')})`).join('|');

/** The UTF-8 of whitespace past ASCII, a byte pattern a space apart each: U+00A0, U+1680, U+2000-200A, U+2028/2029/202F, U+205F, U+3000. */
const WHITESPACE_UTF8 = ['[cC]2 [aA]0', '[eE]1 9[aA] 80', '[eE]2 80 (?:8[0-9aA]|[aA][89fF])', '[eE]2 81 9[fF]', '[eE]3 80 80'];

/** WHITESPACE_UTF8 as `\xNN` bytes, each after `backslash`. */
export const utf8BackslashWhitespace = (backslash: string): string => bytesSource(WHITESPACE_UTF8, `${backslash}x`);

/**
 * JSON's escape of whitespace or "+" (ESCAPED_SPLIT_SOURCE's, without its backslash), after one
 * backslash or two. Past ASCII (`\u00a0`, `\u2007`, `\u3000`): the split-words search reads it,
 * the piece search passes over none, and `Dnb7Kq8\u00a0Rw2Zx4LmT` went out but for 7 characters
 * (and whole once parsed, in a name no later scrub reads). ASCII's (`\u0020`, `\u0009`, `\u000a`,
 * `\u000d`: no encoder writes them, as JSON has `\t`, `\n`, `\r` and a space needs no escape; a
 * hostile one may) likewise: the piece search passes over `\t`, `\n`, `\r` only, and
 * `Dnb7Kq8\u0020Rw2Zx4L`, or the escape beside a joiner (`Dnb7Kq8\u0020-Rw2Zx4L`), left 7
 * characters on either side. Read as a space, both are passed over. After two backslashes (a JSON
 * string holding the literal) the split-words search reads none, and the same holds.
 */
const JSON_WHITESPACE = ESCAPED_SPLIT_SOURCE.slice(2);

/** `\u{...}` (any leading zeros, as JavaScript reads it), and JSON's `\u0020` (JSON_WHITESPACE). */
export const bracedOrJsonInJsonWhitespace = (backslash: string): string => String.raw`${backslash}u\{0*${WHITESPACE_HEX}\}|${backslash}${JSON_WHITESPACE}`;

/**
 * Python's (and C's) 8-digit `\U00000020`: JSON_WHITESPACE's code points with four more leading
 * zeros, exactly 8 digits as Python reads them (a 9th hex digit after is a character of its own).
 * No repr writes one for a character below U+10000; a hostile provider may, and
 * `Dnb7Kq8\U00000020Rw2Zx4L` left 7 characters on either side, as `\u0020` did before it was read.
 */
export const pythonLongWhitespace = (backslash: string): string => `${backslash}U0000${JSON_WHITESPACE.slice(1)}`;

/**
 * The "&" of an HTML reference, as it stands or as JSON's `\u0026` (one backslash, or two: a JSON
 * string holding it). An encoder that escapes "&" in JSON (Go's encoding/json does by default)
 * wrote `nightowl&nbsp;password` as `nightowl\u0026nbsp;password`, which went out whole.
 */
/**
 * And that "&" escaped once or twice more as HTML (`&amp;nbsp;`, `&#x26;shy;`, `&amp;amp;nbsp;`: a
 * provider escaping its own HTML again), with ";" or without as browsers read `&amp` and `&#38`:
 * each read, it is the reference. A numeric one without ";" ends where its digits end (`&#x26e`
 * is another character). Leading zeros up to 7: any number, each alternative holding this one
 * read a run of zeros after "&#" to its end and back (`&#000...`, 4 MB of them, cost 1.7 times
 * as much), and no encoder pads a reference it escapes again. Escaped again up to four times
 * (`&amp;amp;amp;amp;nbsp;`): two, then three, and `nightowl&amp;amp;amp;amp;nbsp;password` went out whole.
 *
 * And the reference percent-encoded, once, twice or three times (`%26nbsp%3B`, `%2526shy%253B`,
 * `%252526shy%25253B`, which went out whole before: a URL quoting
 * a name the provider escaped as HTML): its "&" as `%26`, its ";" as `%3B` (SEMICOLON) and a number's "#" as `%23`, which
 * a URL decoder reads before a browser reads the reference. Neither was read, and
 * `nightowl%26nbsp%3Bpassword` went out whole.
 */
export const SEMICOLON = '(?:;|%(?:25){0,2}3[bB])';
/** A numeric reference's "#", as it stands or percent-encoded with its "&" (`%26%23160%3B`). */
export const HASH = '(?:#|%(?:25){0,2}23)';
const AMPERSAND_ESCAPED_AGAIN = `(?:amp${SEMICOLON}?|AMP${SEMICOLON}?|#0{0,7}38(?![0-9])${SEMICOLON}?|#[xX]0{0,7}26(?![0-9a-fA-F])${SEMICOLON}?)`;
export const AMPERSAND = String.raw`(?:&|${BACKSLASHES}u0026|%(?:25){0,2}26)${AMPERSAND_ESCAPED_AGAIN}{0,4}`;

/**
 * HTML's references to them: numeric with any leading zeros, ";" or not as browsers read them (a
 * digit after ends none here: `&#320` is another character), and the names HTML5 has for them
 * (";" needed but for `&nbsp`, which browsers read without).
 */
export const HTML_WHITESPACE = [
  `${AMPERSAND}${HASH}0*${WHITESPACE_DECIMAL}(?![0-9])${SEMICOLON}?`,
  `${AMPERSAND}${HASH}[xX]0*${WHITESPACE_HEX}(?![0-9a-fA-F])${SEMICOLON}?`,
  `${AMPERSAND}(?:NonBreakingSpace|VeryThinSpace|MediumSpace|ThickSpace|ThinSpace|NewLine|emsp13|emsp14|puncsp|thinsp|hairsp|numsp|ensp|emsp|plus|Tab)${SEMICOLON}`,
  `${AMPERSAND}nbsp${SEMICOLON}?`,
].join('|');

/**
 * U+202F percent-encoded as UTF-8, either case (the split-words search reads every other); and all
 * of them, ASCII's too (`%2520`, `%25C2%25A0`, `%252520`), encoded twice and three times (a URL
 * inside a URL's query, inside another's, and once more), which neither the split-words search nor the piece
 * search reads; and four times (`%25252520`: a secret of letters and digits split so left 7).
 */
export const PERCENT_WHITESPACE = `%[eE]2%80%[aA][fF]|%(?:25){1,3}(?:0[9a-dA-D]|20|2[bB])|${levelledPercentBytes(WHITESPACE_UTF8, 'spaceLevel', '(?:25){1,3}')}`;
