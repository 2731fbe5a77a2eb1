import { endianness } from 'node:os';
import {
  AMPERSAND,
  BACKSLASHES,
  HASH,
  HTML_WHITESPACE,
  PERCENT_BACKSLASH,
  PERCENT_WHITESPACE,
  SEMICOLON,
  bracedOrJsonInJsonWhitespace,
  bytesSource,
  latin1BackslashWhitespace,
  levelledPercentBytes,
  pythonLongWhitespace,
  utf8BackslashWhitespace,
} from './escaped-whitespace.js';
import { REFERENCE_STARTS, followers, isHexDigit, matchesAtEach } from './marker-matches.js';

/**
 * Characters a reader skips over, which a provider may put inside a secret it quotes back
 * (`nightowl\u0001password`): C0 controls other than whitespace (0x00-0x08, 0x0E-0x1F), DEL and
 * the C1 controls, the soft hyphen, the Arabic letter mark, the Mongolian vowel separator,
 * zero-width space, non-joiner and joiner, the left-to-right and right-to-left marks, the
 * bidirectional embeddings, overrides and isolates, the word joiner and invisible operators, the
 * BOM, and the tag characters (U+E0000-E007F, a surrogate pair each). No search of the scrubber
 * passed over them: each was a hole no form, pattern or piece crossed. The whitespace controls
 * (0x09-0x0D) and `\s` are splits the searches read already. And U+FFFD: a provider's message
 * shows each of the others as one (clipProviderMessage) before it is scrubbed once more
 * (scrubbedError), so a secret the answer's scrub missed there (`nightowl\u00a0\u200bpassword`,
 * when the split-words search read no `\u00a0` escape) was quoted whole but for it.
 */
const INVISIBLE_UNITS = '[\\u0000-\\u0008\\u000e-\\u001f\\u007f-\\u009f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2069\\ufeff\\ufffd]';
const TAG_LOW_UNITS = '[\\udc00-\\udc7f]';
const TAG_HIGH = 0xdb40;
const INVISIBLE_CLASS = `${INVISIBLE_UNITS}|\\udb40${TAG_LOW_UNITS}`;

/** Their code points in hex without leading zeros, any case: what `\u{...}` and `&#x...;` write. */
const INVISIBLE_HEX = '(?:[0-8]|[eEfF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F]|[aA][dD]|61[cC]|180[eE]|200[b-fB-F]|202[a-eA-E]|206[0-9]|[fF][eE][fF][fF]|[fF]{3}[dD]|[eE]00[0-7][0-9a-fA-F])';

/** The same in decimal, for `&#...;`. */
const INVISIBLE_DECIMAL = '(?:[0-8]|1[4-9]|2[0-9]|3[01]|12[7-9]|1[3-5][0-9]|173|1564|6158|820[3-7]|823[4-8]|828[89]|829[0-7]|65279|65533|9175(?:0[4-9]|[1-9][0-9])|9176(?:[0-2][0-9]|3[01]))';

/**
 * Their UTF-8, a byte pattern a space apart each (`e2 80 8b`): U+0080-009F and U+00AD, U+061C,
 * U+180E, U+200B-200F, U+202A-202E, U+2060-2069, the BOM, U+FFFD and the tags.
 */
const INVISIBLE_UTF8 = [
  '[cC]2 (?:[89][0-9a-fA-F]|[aA][dD])',
  '[dD]8 9[cC]',
  '[eE]1 [aA]0 8[eE]',
  '[eE]2 80 (?:8[b-fB-F]|[aA][a-eA-E])',
  '[eE]2 81 [aA][0-9]',
  '[eE][fF] [bB][bB] [bB][fF]',
  '[eE][fF] [bB][fF] [bB][dD]',
  '[fF]3 [aA]0 8[01] [89aAbB][0-9a-fA-F]',
];

/** Bytes below 0x80 that are invisible, in hex: the controls and DEL. */
const INVISIBLE_ASCII_BYTE = '(?:0[0-8]|0[eEfF]|1[0-9a-fA-F]|7[fF])';

/** INVISIBLE_UTF8, each byte written as `prefix` and its hex. */
const utf8Source = (prefix: string): string => bytesSource(INVISIBLE_UTF8, prefix);

/**
 * Their UTF-8 percent-encoded, either case (`%E2%80%8B`, `%00`, `%C2%AD`): a URL in a name or a
 * raw field (a provider's link quoting the key it was sent) carries one so, and
 * `night%E2%80%8Bowl%20password` kept the key whole but for the hole (`%20` is a split already).
 * And encoded twice (`%25E2%2580%258B`, `%2500`): a URL inside a URL's query; and three times
 * (`%252500`): that URL inside another's; and four times (`%25252500`, which went out whole
 * between `nightowl` and `password`).
 */
const PERCENT_INVISIBLE = `%(?:25){0,3}${INVISIBLE_ASCII_BYTE}|${levelledPercentBytes(INVISIBLE_UTF8, 'invisibleLevel', '(?:25){0,3}')}`;

/** Their code points below U+10000 as 4 hex digits, any case: what `\u200b` writes (and `\U0000200b` after four zeros more). */
const INVISIBLE_HEX4 = '00(?:0[0-8]|0[eEfF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F]|[aA][dD])|061[cC]|180[eE]|200[b-fB-F]|202[a-eA-E]|206[0-9]|[fF][eE][fF][fF]|[fF]{3}[dD]';

/**
 * Backslash escapes of them, each with one backslash or two (JSON's `\\`: a JSON string holding a
 * Python, JavaScript or C literal, `"bad key 'nightowl\\x00password'"`): JSON's `\u200b` (a JSON
 * answer can carry a control character only so, and encoders that escape everything past ASCII
 * write it), Python's (and C's) 8-digit `\U0000200b` (its repr writes a tag character so,
 * `\U000e0041`; a hostile provider any of them, and `Dnb7Kq8\U0000200bRw2Zx4L` left 7 characters
 * on either side), `\u{200b}`, a Latin-1 `\xNN` (Python's repr writes a C1 control or the soft hyphen
 * so), and `\b`, JSON's backspace (0x08), with one only. `\xNN` bytes making the UTF-8 of one
 * (`\xe2\x80\x8b`, a byte string's repr) are backslashUtf8Invisible. Each after `backslash`:
 * BACKSLASHES, or PERCENT_BACKSLASH (`%5Cx00`, `%5Cu200b`: such an escape inside a URL; no `%5Cb`,
 * which a Windows path's `%5Cbin` is).
 */
const backslashInvisible = (backslash: string): string =>
  [
    String.raw`${backslash}u(?:${INVISIBLE_HEX4}|[dD][bB]40${backslash}u[dD][cC][0-7][0-9a-fA-F])`,
    String.raw`${backslash}U(?:0000(?:${INVISIBLE_HEX4})|000[eE]00[0-7][0-9a-fA-F])`,
    String.raw`${backslash}u\{0*${INVISIBLE_HEX}\}`,
    String.raw`${backslash}x(?:${INVISIBLE_ASCII_BYTE}|[89][0-9a-fA-F]|[aA][dD])`,
    ...(backslash === BACKSLASHES ? [String.raw`\\b`] : []),
  ].join('|');

const backslashUtf8Invisible = (backslash: string): string => utf8Source(`${backslash}x`);

/** `\xNN` bytes making any other character's UTF-8 (`\xc3\xad`, `í`): kept whole, so that no byte of it reads as a Latin-1 control. */
const backslashUtf8Other = (backslash: string): string => {
  const continuation = String.raw`${backslash}x[89abAB][0-9a-fA-F]`;
  return String.raw`${backslash}x[cdCD][0-9a-fA-F]${continuation}|${backslash}x[eE][0-9a-fA-F](?:${continuation}){2}|${backslash}x[fF][0-7](?:${continuation}){3}`;
};

/**
 * HTML's references to them (a provider's HTML error page, a name it escaped for a browser):
 * numeric with any leading zeros and ";" or not (a digit after ends none: `&#1730` is another
 * character), and the names HTML5 has for them (";" needed but for `&shy`, which browsers read without).
 */
const HTML_INVISIBLE = [
  `${AMPERSAND}${HASH}0*${INVISIBLE_DECIMAL}(?![0-9])${SEMICOLON}?`,
  `${AMPERSAND}${HASH}[xX]0*${INVISIBLE_HEX}(?![0-9a-fA-F])${SEMICOLON}?`,
  `${AMPERSAND}(?:NegativeVeryThinSpace|NegativeMediumSpace|NegativeThickSpace|NegativeThinSpace|ZeroWidthSpace|InvisibleComma|InvisibleTimes|ApplyFunction|NoBreak|zwnj|zwj|lrm|rlm|af|ic|it)${SEMICOLON}`,
  `${AMPERSAND}shy${SEMICOLON}?`,
].join('|');

/** Escaped whitespace the main pass does not read as a split (escaped-whitespace.ts), after a backslash. */
const backslashWhitespace = (backslash: string): string => `${latin1BackslashWhitespace(backslash)}|${bracedOrJsonInJsonWhitespace(backslash)}|${pythonLongWhitespace(backslash)}`;

/** What is read after `backslash`: invisible characters, whitespace, and (kept) other characters' UTF-8. */
const afterBackslash = (backslash: string): { utf8Whitespace: string; utf8Invisible: string; utf8Other: string; whitespace: string; invisible: string } => ({
  utf8Whitespace: utf8BackslashWhitespace(backslash),
  utf8Invisible: backslashUtf8Invisible(backslash),
  utf8Other: backslashUtf8Other(backslash),
  whitespace: backslashWhitespace(backslash),
  invisible: backslashInvisible(backslash),
});
const AFTER_BACKSLASHES_READ = afterBackslash(BACKSLASHES);
const AFTER_PERCENT_BACKSLASH_READ = afterBackslash(PERCENT_BACKSLASH);
/** One of afterBackslash's kinds after either backslash. */
const eitherBackslash = (kind: keyof ReturnType<typeof afterBackslash>): string => `${AFTER_BACKSLASHES_READ[kind]}|${AFTER_PERCENT_BACKSLASH_READ[kind]}`;

/** A bracketed character class's inside (`[a-z]` -> `a-z`), for a class of several joined. */
function classBody(units: string): string {
  return units.slice(1, -1);
}

/**
 * Whitespace past ASCII as it stands (each `\s` is with the u flag but the BOM): inside a secret of
 * letters and digits (`Dnb7Kq8\u00a0Rw2Zx4LmT`) no search passed over it, as the piece search
 * passes over ASCII's spaces only; read as a space, the searches find the secret split so.
 */
const RAW_SPACE_UNITS = '[\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';

const RAW = new RegExp(`${INVISIBLE_CLASS}|${RAW_SPACE_UNITS}`);
/**
 * One class of every unit a RAW match can start with (INVISIBLE_UNITS, a tag's high half, the raw
 * spaces): RAW is asked only of a text holding one. RAW.test itself tried its three alternatives at
 * each unit of every answer, some 14 M instructions of an uncached dashboard (callgrind); one class
 * scans in about a third of that, and a text without any of these units holds no RAW match.
 */
const RAW_FIRST_UNIT = new RegExp(`[${classBody(INVISIBLE_UNITS)}${classBody(RAW_SPACE_UNITS)}\\u${TAG_HIGH.toString(16)}]`);
/** What an escape starting at `lastIndex` (sticky) may be: the hold check asks it at each "\\", "%" and "&" only. */
const BACKSLASH_HERE = new RegExp(
  [AFTER_BACKSLASHES_READ.invisible, AFTER_BACKSLASHES_READ.utf8Invisible, AFTER_BACKSLASHES_READ.whitespace, AFTER_BACKSLASHES_READ.utf8Whitespace, HTML_INVISIBLE, HTML_WHITESPACE].join('|'),
  'y',
);
const PERCENT_HERE = new RegExp(
  [PERCENT_INVISIBLE, PERCENT_WHITESPACE, AFTER_PERCENT_BACKSLASH_READ.invisible, AFTER_PERCENT_BACKSLASH_READ.utf8Invisible, AFTER_PERCENT_BACKSLASH_READ.whitespace, AFTER_PERCENT_BACKSLASH_READ.utf8Whitespace].join('|'),
  'y',
);
const HTML_HERE = new RegExp(`${HTML_INVISIBLE}|${HTML_WHITESPACE}`, 'y');
/** HTML_HERE at a "%": a reference percent-encoded (`%26nbsp%3B`), asked only where "%26" or "%2526" starts (holdsPercentHidden). */
const PERCENT_HTML_HERE = new RegExp(`(?=%(?:25){0,2}26)(?:${HTML_INVISIBLE}|${HTML_WHITESPACE})`, 'y');

/**
 * What the reading takes out, makes a space or keeps, one alternative after another at each place
 * (the first that matches is the one read): escaped whitespace's UTF-8 as `\xNN` (group 1: a
 * space), an invisible character's (taken out), any other character's (group 2: kept), the rest of
 * the escaped whitespace (group 3: a space), the invisible characters as they stand and their
 * escapes (taken out), and JSON's `\\` (group jsonBackslash: kept, so that its second backslash starts no escape).
 */
const READ = new RegExp(
  [
    `(${eitherBackslash('utf8Whitespace')})`,
    eitherBackslash('utf8Invisible'),
    `(${eitherBackslash('utf8Other')})`,
    `(${eitherBackslash('whitespace')}|${HTML_WHITESPACE}|${PERCENT_WHITESPACE})`,
    INVISIBLE_CLASS,
    eitherBackslash('invisible'),
    PERCENT_INVISIBLE,
    HTML_INVISIBLE,
    String.raw`(?<jsonBackslash>\\\\)`,
  ].join('|'),
  'y',
);

/**
 * READ where it starts at an "&": of its alternatives only HTML's can (every other starts with a
 * backslash, a "%" or an invisible character), in READ's order, the whitespace's group the first as
 * READ's first is (a space). The same match as READ's, without READ's dozen groups and named ones
 * to build for each: 1 MB of `n&nbsp;` spent two fifths of its scrub in the second reading, most
 * of it there.
 */
const READ_AT_AMPERSAND = new RegExp(`(${HTML_WHITESPACE})|${HTML_INVISIBLE}`, 'y');

/**
 * Whether `text` holds an invisible character or an escape of one, or whitespace escaped in a way
 * the main pass does not read (escaped-whitespace.ts): a native search, then a match anchored at
 * each "\\", "%" and "&", no copy, so that an answer without any (nearly all) costs the scrubber
 * little else. Anchored, as escaped-secrets.ts's `holdsEscape` is: a regex scan of the whole text
 * for HTML's many alternatives was slower than an `indexOf` and a sticky match at each of a 38 KB
 * list's 400 "&" (its URLs' query strings).
 */
export function holdsHidden(text: string): boolean {
  return (
    (RAW_FIRST_UNIT.test(text) && RAW.test(text)) ||
    matchesAtEach(text, '\\', BACKSLASH_HERE, AFTER_BACKSLASHES, true) ||
    holdsPercentHidden(text) ||
    matchesAtEach(text, '&', HTML_HERE, AFTER_AMPERSAND)
  );
}

/** What BACKSLASH_HERE's alternatives have after their one or two backslashes (`\u`, `\U`, `\x`, `\b`; `\\u0026` for "&"), and after an "x": a hex digit. */
const AFTER_BACKSLASHES = followers('uUxb', 'x');
/**
 * What PERCENT_HERE's have after "%": 0, 1 and 7 (an ASCII control, DEL), C, D, E and F (a UTF-8
 * sequence's first byte), "25" (a "%" encoded again) and "5C" (a backslash).
 */
const AFTER_PERCENT = followers('0127cdefCDEF');

/**
 * Whether PERCENT_HERE matches at any "%" of `text`: as matchesAtEach asks it, with the "25" and
 * "5C" it has after a "%" asked first, so that a hostile run of "%2" or "%5" asks no regex at all.
 */
function holdsPercentHidden(text: string): boolean {
  for (let at = text.indexOf('%'); at !== -1; at = text.indexOf('%', at + 1)) {
    const next = text.charCodeAt(at + 1);
    const after = text.charCodeAt(at + 2);
    const encodedAgain = (next === 0x32 && after === 0x35) || (next === 0x35 && (after | 0x20) === 0x63);
    if (!encodedAgain && !(next < 128 && AFTER_PERCENT[next] === 1)) continue;
    PERCENT_HERE.lastIndex = at;
    if (PERCENT_HERE.test(text)) return true;
    if (next !== 0x32 || (after !== 0x35 && after !== 0x36)) continue;
    PERCENT_HTML_HERE.lastIndex = at;
    if (PERCENT_HTML_HERE.test(text)) return true;
  }
  return false;
}
/** What HTML_HERE's have after "&": "#" or a name's first letter. */
const AFTER_AMPERSAND = followers(REFERENCE_STARTS);

/**
 * `text` read with its invisible characters and their escapes left out and its escaped whitespace,
 * and whitespace past ASCII as it stands, as a space: the i-th character of the reading stands for `text` from `places[i]` to `ends[i]`.
 */
export interface HiddenRead {
  text: string;
  places: Int32Array;
  ends: Int32Array;
}

/** Per UTF-16 unit, 1 for one INVISIBLE_UNITS holds; and the tags' low halves. */
const unitTable = (units: string): Uint8Array => {
  const pattern = new RegExp(`^${units}$`);
  const table = new Uint8Array(0x10000);
  for (let code = 0; code < 0x10000; code++) if (pattern.test(String.fromCharCode(code))) table[code] = 1;
  return table;
};
const INVISIBLE_UNIT = unitTable(INVISIBLE_UNITS);
/**
 * Per UTF-16 unit, 1 for one RAW_SPACE_UNITS holds: readHidden's loop writes a space for each as
 * it copies the text it keeps. A native replace after the loop (a regex match per raw space) made
 * 1 MB of `a\u00a0` cost 5 times the scrub of a plain list of its size, nearly all of it there.
 */
const RAW_SPACE_UNIT = unitTable(RAW_SPACE_UNITS);
const SPACE = 0x20;
const EMPTY_UNITS = new Uint16Array(0);
const TAG_LOW = unitTable(TAG_LOW_UNITS);

/**
 * How many UTF-16 units of an invisible character as it stands are at `at` (a tag is a pair), 0
 * where none is: read by a table, not the regex, as a hostile answer may hold one between every
 * two letters (4 MB of them was a regex match each, three times a plain list's scrub).
 */
const invisibleUnitsAt = (text: string, at: number, code: number): number => (INVISIBLE_UNIT[code] === 1 ? 1 : code === TAG_HIGH && TAG_LOW[text.charCodeAt(at + 1)] === 1 ? 2 : 0);

/** UTF-16 units as a string, in one native copy (Buffer's UTF-16 is little-endian: swapped first on a big-endian machine). */
function textOf(units: Uint16Array): string {
  const bytes = Buffer.from(units.buffer, units.byteOffset, units.byteLength);
  if (BIG_ENDIAN) bytes.swap16();
  return bytes.toString('utf16le');
}
const BIG_ENDIAN = endianness() === 'BE';

/**
 * Whether `at` holds a backslash, an "x" and no hex digit after it, where READ cannot match: its
 * alternatives going on with one backslash and an "x" all have a hex digit next (JSON's `\\\\` has
 * a second backslash). A run of `\x` beside one invisible character was a READ run at each.
 */
const backslashXWithoutHex = (text: string, at: number, code: number): boolean => {
  if (code !== 0x5c || text.charCodeAt(at + 1) !== 0x78) return false;
  return !isHexDigit(text.charCodeAt(at + 2));
};

/**
 * `text` read so (see HiddenRead): READ's first match at each place, as a global READ would take
 * them (leftmost, the first alternative that matches there), the invisible characters as they
 * stand by invisibleUnitsAt and the escapes by READ (sticky) at each "\\", "%" and "&".
 */
/**
 * Where the backslashes just before `at` (back to `copied`, what the reading has not yet kept) start:
 * they go with the invisible character taken out there. A run of 3, 5, 6, 7 or 16 and more before
 * an escape of one (`\\\u200b`: JSON's escape of a backslash, then the escape) left the text's own
 * backslash beside the letter after, and the piece search counted it: `Dnb7Kq8\\\u200bRw2Zx4L`
 * left 7 characters on either side. Each backslash is walked back over once at most (`copied`
 * moves past it).
 */
function backslashesBefore(text: string, at: number, copied: number): number {
  let start = at;
  while (start > copied && text.charCodeAt(start - 1) === 0x5c) start--;
  return start;
}

export function readHidden(text: string): HiddenRead {
  const places = new Int32Array(text.length);
  const ends = new Int32Array(text.length);
  // Made at the first unit read: an answer an escape takes whole (`&#000...`) allocates none.
  let units = EMPTY_UNITS;
  const unitsToWrite = (): Uint16Array => (units.length === 0 ? (units = new Uint16Array(text.length)) : units);
  let length = 0;
  let copied = 0;
  const keep = (end: number): void => {
    if (end <= copied) return;
    const written = unitsToWrite();
    // The count in a local: the closure's own, written back once, cost a context slot's load and store per character.
    let kept = length;
    for (let at = copied; at < end; at++, kept++) {
      const code = text.charCodeAt(at);
      written[kept] = RAW_SPACE_UNIT[code] === 1 ? SPACE : code;
      places[kept] = at;
      ends[kept] = at + 1;
    }
    length = kept;
  };
  for (let at = 0; at < text.length; ) {
    const code = text.charCodeAt(at);
    const invisible = invisibleUnitsAt(text, at, code);
    if (invisible > 0) {
      keep(backslashesBefore(text, at, copied));
      at += invisible;
      copied = at;
      continue;
    }
    if ((code !== 0x5c && code !== 0x25 && code !== 0x26) || backslashXWithoutHex(text, at, code)) {
      at++;
      continue;
    }
    const reader = code === 0x26 ? READ_AT_AMPERSAND : READ;
    reader.lastIndex = at;
    const match = reader.exec(text);
    if (match === null) {
      at++;
      continue;
    }
    at = reader.lastIndex;
    if (match[2] !== undefined || match.groups?.jsonBackslash !== undefined) continue;
    const space = match[1] !== undefined || match[3] !== undefined;
    // A space keeps the backslashes before it: the piece search passes over a backslash before whitespace.
    keep(space ? match.index : backslashesBefore(text, match.index, copied));
    copied = at;
    if (!space) continue;
    unitsToWrite()[length] = SPACE;
    places[length] = match.index;
    ends[length++] = copied;
  }
  keep(text.length);
  return { text: textOf(units.subarray(0, length)), places: places.subarray(0, length), ends: ends.subarray(0, length) };
}
