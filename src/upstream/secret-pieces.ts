import type { Span } from './escape-reading.js';
import { RememberedSpans } from './remembered-spans.js';

/**
 * A piece of a secret this long is as good as the secret to whoever reads it: a provider
 * quoting half a password in one field and half in another (a mapper joins them), or with a
 * space, newline or quote put inside it, gives away pieces no whole form of it matches.
 */
export const MIN_PIECE_LENGTH = 8;

/**
 * Characters a provider may put inside a secret it quotes (a line wrapped, a value quoted in
 * halves, a form body's "+" for a space), as they stand or escaped (JSON's `\n`, `\'`; a URL's
 * `%20`, `%0A`, `%22`): passed over, on both sides, when pieces are compared. `"` and `\"` only
 * between two ASCII letters or digits, a space or two on one side allowed (quotePassedOver): elsewhere, in a JSON answer and a JSON document inside one
 * of its strings, they end strings, and a piece matched across one took the structure between two
 * fields with it (the answer then failed to parse, its error's words were lost). A string ends
 * next to a letter or digit in no valid JSON, so there one stands inside a quoted value, and a
 * secret quoted in halves of 7 on either side of it ("Dnb7Kq8\"Rw2Zx4L") went out whole. A
 * backslash before another is passed over: JSON's `\\` is one backslash, the secret's.
 */
const PLAIN = 1;
const BACKSLASH = 2;
const PERCENT = 3;
const QUOTE = 4;
const JOINER = 5;
/**
 * ASCII punctuation a provider may write between groups of a key (`Dnb7-Kq8R-w2Zx-4LmT`, a
 * licence key's dashes, a path's slashes) or beside a piece of it (`Dnb7Kq8Rw2Zx4-LmT`): passed
 * over between two ASCII letters or digits only (a space or two between, MAX_SPACES_BESIDE_JOINER),
 * and only those no secret of the search holds
 * (`Secret-Key-42` keeps its "-" counted, so "secret key" is no piece of it). Counted, each was a
 * hole no piece crossed: the 3 characters after it stayed, and a key in groups of 4 went out
 * whole. Elsewhere (beside a quote, a bracket, more spaces) they are JSON's structure or the
 * provider's own words.
 */
export const JOINERS = '!#$&()*,-./:;<=>?@[]^_{|}~';
const CODE_KINDS = new Uint8Array(128);
for (const char of ' \t\n\r\f\v\'`+') CODE_KINDS[char.charCodeAt(0)] = PLAIN;
for (const char of JOINERS) CODE_KINDS[char.charCodeAt(0)] = JOINER;
CODE_KINDS[0x5c] = BACKSLASH;
CODE_KINDS[0x25] = PERCENT;
CODE_KINDS[0x22] = QUOTE;
const QUOTE_CODE = 0x22;
const BACKSLASH_CODE = 0x5c;
/** What follows a backslash in an escape of whitespace or a quote. */
const BACKSLASH_ESCAPED = new Set(['n', 'r', 't', 'f', 'v', "'"].map((char) => char.charCodeAt(0)));
/**
 * The bytes whose %XX escapes (either case) are whitespace and quotes, 1 each: looked up by the
 * escape's value, since a string sliced and upper-cased per "%" was most of the cost of an
 * answer made of "%" (4 MB: 8-12 times a plain list's).
 */
const PERCENT_ESCAPED = new Uint8Array(256);
for (const byte of [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x22, 0x27, 0x60, 0x2b]) PERCENT_ESCAPED[byte] = 1;
/** A hex digit's value (either case), or -1. */
const hexValue = (code: number): number => (code >= 48 && code <= 57 ? code - 48 : (code | 0x20) >= 97 && (code | 0x20) <= 102 ? (code | 0x20) - 87 : -1);

/** Per ASCII code, 1 for a joiner a search's secrets hold (never passed over in it). */
type HeldJoiners = Uint8Array;

/** How many UTF-16 units at `at` of `text` are passed over: 0 when the character there counts. */
function passedOver(text: string, at: number, held: HeldJoiners): number {
  const code = text.charCodeAt(at);
  if (code >= 128) return 0;
  const kind = CODE_KINDS[code];
  if (kind === PLAIN) return 1;
  if (kind === BACKSLASH) {
    const next = text.charCodeAt(at + 1);
    // JSON's `\\` is one backslash: a secret's backslash quoted in JSON pieces is counted once, as in the secret.
    if (next === BACKSLASH_CODE) return 1;
    // A backslash before whitespace (a shell's or a regex's escaped space; what the reading of escaped whitespace leaves of a run of
    // 3, 5, 6, 7 or 16 and more backslashes before `\u0020`, the text's own backslashes, invisible-characters.ts) is passed over:
    // counted, `Dnb7Kq8\\\u0020Rw2Zx4L` left 7 characters on either side, and a secret cut so every 7 went out whole.
    if (isSpace(next)) return 1;
    if (next === QUOTE_CODE) return quotePassedOver(text, at, at + 2) ? 2 : 0;
    return BACKSLASH_ESCAPED.has(next) ? 2 : 0;
  }
  if (kind === PERCENT) {
    const high = hexValue(text.charCodeAt(at + 1));
    const low = hexValue(text.charCodeAt(at + 2));
    return high >= 0 && low >= 0 && PERCENT_ESCAPED[high * 16 + low] === 1 ? 3 : 0;
  }
  if (kind === QUOTE) return quotePassedOver(text, at, at + 1) ? 1 : 0;
  if (kind === JOINER) return held[code] === 0 && alphanumericsAcrossSpaces(text, at) ? 1 : 0;
  return 0;
}

/** How many UTF-16 units the piece search passes over at a "%" or backslash at `at` (an escape of whitespace or a quote; JSON's `\\`, 1): what joiners a search holds decides none of these. */
export const escapePassedOver = (text: string, at: number): number => passedOver(text, at, NO_JOINERS_HELD);
const NO_JOINERS_HELD: HeldJoiners = new Uint8Array(128);

const isAlphanumeric = (code: number): boolean => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

/**
 * The most spaces, tabs or line breaks between a joiner and the letter or digit on either side of
 * it for the joiner to be passed over (`Dnb7-Kq8R-w2Zx-4 -LmT`, `4- LmT`, `Kq8R / w2Zx`): beside a
 * space, a joiner was counted, and the 3 characters after it were a hole no piece crossed. A
 * bound, so that asking costs the same at any place of any text. SPACES_BESIDE_JOINER_SOURCE is
 * the same as a regex (secret-piece-groups.ts and scrub-pieces.ts must read texts as this does).
 */
export const MAX_SPACES_BESIDE_JOINER = 2;
export const SPACES_BESIDE_JOINER_SOURCE = `[ \\t\\n\\r]{0,${MAX_SPACES_BESIDE_JOINER}}`;
/**
 * After a joiner, each space may be JSON's escape of one too (`\t`, `\n`, `\r`: a tab inside a
 * JSON string is a backslash and a "t"), or that escape escaped again (`\\t`, `\\\\t`: JSON inside
 * a JSON string, each string doubling the backslashes before it), or a space with backslashes
 * before it (a shell's `\ `), as jsonSpaceAt reads it: `Dnb7Kq8 -\tRw2Zx4L`, `Dnb7Kq8-\\tRw2Zx4L`
 * and `Dnb7Kq8-\\\\tRw2Zx4L` left 7 characters on either side. Any number of backslashes: a run
 * of 3, 5, 6 or 7 holds a backslash of the text's own, and 16 or more is five JSON strings deep or
 * more, and `Dnb7Kq8-\\\tRw2Zx4L` left 7 on either side as well (the piece search passes over a
 * backslash before another or before a space anywhere: passedOver). Before a joiner no such reading
 * is needed: the escape's letter stands just before it (or before its spaces) and is taken for the
 * letter or digit.
 */
export const SPACES_AFTER_JOINER_SOURCE = `(?:[ \\t\\n\\r]|\\\\+[tnr \\t\\n\\r]){0,${MAX_SPACES_BESIDE_JOINER}}`;
export const isSpace = (code: number): boolean => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
const BACKSLASH_SPACE_LETTERS = new Set(['t', 'n', 'r'].map((char) => char.charCodeAt(0)));
/**
 * How many UTF-16 units the space at `at` takes: 1 as it stands, 2 as JSON's `\t`, `\n` or `\r`
 * or a space after a backslash, and one more per backslash before those (`\\t`, `\\\\t`; any
 * number: the run is read once, from the joiner or quote before it, so a hostile run costs its
 * length once per ask, not per backslash); 0 where none stands.
 */
export function jsonSpaceAt(text: string, at: number): number {
  const code = text.charCodeAt(at);
  if (isSpace(code)) return 1;
  if (code !== BACKSLASH_CODE) return 0;
  let letterAt = at + 1;
  while (text.charCodeAt(letterAt) === BACKSLASH_CODE) letterAt++;
  const after = text.charCodeAt(letterAt);
  return BACKSLASH_SPACE_LETTERS.has(after) || isSpace(after) ? letterAt - at + 1 : 0;
}

/**
 * How far either side of a character passedOver reads to decide it (a joiner's letters or digits
 * past MAX_SPACES_BESIDE_JOINER spaces, the two after a "%" or a backslash, and a `\"`'s letter
 * or digit past its quote and MAX_SPACES_BESIDE_JOINER spaces). A joiner or a quote reads further
 * after it, past two JSON-escaped spaces (`-\t\tR`, `\"\\t\\tR`: jsonSpaceAt), none of which every
 * pass counts (alwaysCounted): a piece passing over it still starts within stretchAround's
 * stretch, which starts MIN_PIECE_LENGTH characters every pass counts before `at - CONTEXT`, all
 * before that joiner or quote, and no piece holds more than MIN_PIECE_LENGTH - 1 of them. Widened
 * instead, the stretches around the escapes of `bench/scrub-work.ts`'s answer passed 1.3% more
 * characters one by one.
 */
const CONTEXT = MAX_SPACES_BESIDE_JOINER + 2;

/**
 * Whether every pass over `text` counts the character at `at`: it is of no kind passedOver reads
 * (ASCII punctuation of those, whitespace) and no escape begun one or two places before (`\n`,
 * `%20`) may take it in. Fewer than the pass counts (a letter after `\x` is counted): a bound.
 */
function alwaysCounted(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  if (code < 128 && CODE_KINDS[code] !== 0) return false;
  if (at >= 1) {
    const before = text.charCodeAt(at - 1);
    if (before === PERCENT_CODE || before === BACKSLASH_CODE) return false;
  }
  return at < 2 || text.charCodeAt(at - 2) !== PERCENT_CODE;
}

/**
 * Where in `text` every piece a search finds that holds the place `at`, or reads it deciding what
 * it passes over (CONTEXT either side), stands: from the MIN_PIECE_LENGTH-th character before
 * that every pass counts (or the text's start) to the MIN_PIECE_LENGTH-th after (or its end). A
 * piece is MIN_PIECE_LENGTH counted characters, so it starts and ends within; and the stretch
 * starts at a character every pass counts, where a pass from the text's start also stands
 * (SecretPieceSearch.findWithin reads from there). Elsewhere a text changed at `at` alone reads
 * as before.
 */
export function stretchAround(text: string, at: number): Span {
  let start = at - CONTEXT;
  for (let seen = 0; seen < MIN_PIECE_LENGTH && start > 0; ) if (alwaysCounted(text, --start)) seen++;
  let end = at + CONTEXT;
  for (let seen = 0; seen < MIN_PIECE_LENGTH && end < text.length - 1; ) if (alwaysCounted(text, ++end)) seen++;
  return [Math.max(start, 0), Math.min(end + 1, text.length)];
}

/** Whether an ASCII letter or digit stands on either side of the joiner at `at`, past at most MAX_SPACES_BESIDE_JOINER spaces each side (after it, as it stands or JSON-escaped: jsonSpaceAt). */
function alphanumericsAcrossSpaces(text: string, at: number): boolean {
  let before = at - 1;
  while (before >= at - MAX_SPACES_BESIDE_JOINER && isSpace(text.charCodeAt(before))) before--;
  if (!isAlphanumeric(text.charCodeAt(before))) return false;
  return isAlphanumeric(text.charCodeAt(at + 1)) || alphanumericPastJsonSpaces(text, at + 1);
}

/**
 * Whether one space or up to MAX_SPACES_BESIDE_JOINER from `from` on, each as it stands or
 * JSON-escaped (jsonSpaceAt), have an ASCII letter or digit past them; or, where
 * `escapedAlphanumericAt` is given, an escape of one (escaped-joiners.ts reads `&amp; %4Bq8R` as
 * `& Kq8R`, which the piece search passes over). The one step over spaces after a joiner or a
 * quote: the piece search's and the reading of escaped joiners' must read a text alike. Nothing
 * is asked past the text's end (charCodeAt's NaN there is a double, and V8 then reads every code
 * as one).
 */
export function alphanumericPastJsonSpaces(text: string, from: number, escapedAlphanumericAt?: (text: string, at: number) => boolean): boolean {
  let after = from;
  for (let spaces = 0; spaces < MAX_SPACES_BESIDE_JOINER && after < text.length; spaces++) {
    const width = jsonSpaceAt(text, after);
    if (width === 0) break;
    after += width;
  }
  if (after === from || after >= text.length) return false;
  return isAlphanumeric(text.charCodeAt(after)) || (escapedAlphanumericAt !== undefined && escapedAlphanumericAt(text, after));
}

/**
 * Whether the double quote (bare or `\"`) from `start` to `end` is passed over: an ASCII letter or
 * digit just before it and just after, or one on one side and a space or two then one on the other
 * (`Dnb7Kq8" Rw2Zx4L`, `Dnb7Kq8 \"Rw2Zx4L`: 7 characters on either side went out, a quote beside a
 * space being counted). In valid JSON no string ends beside a letter or digit, nor starts after
 * one and a space (a `,`, `:` or bracket stands between two strings): there the quote stands inside
 * a quoted value, or the text is no JSON. After the quote a space may be JSON's `\t`, `\n`, `\r` or
 * that escaped again (jsonSpaceAt), as after a joiner: `Dnb7Kq8\"\tRw2Zx4L` and
 * `Dnb7Kq8&quot;\tRw2Zx4L` inside a JSON string left 7 characters on either side (before it, the
 * escape's letter is taken for a letter). Spaces on both sides (`Dnb7 " Kq8`) stay counted: a
 * quote standing alone is a CSV's or a prose's own.
 */
function quotePassedOver(text: string, start: number, end: number): boolean {
  const from = backslashRunStart(text, start);
  const before = text.charCodeAt(from - 1);
  const after = text.charCodeAt(end);
  if (isAlphanumeric(before)) return isAlphanumeric(after) || alphanumericPastJsonSpaces(text, end);
  return isSpace(before) && isAlphanumeric(after) && alphanumericBeforeSpaces(text, from - 1);
}

/**
 * The most backslashes read past before a quote's own escape: a JSON document inside a JSON string
 * writes `\"` as `\\\"` (three), and that inside another as seven. Each backslash before the last
 * is passed over already (JSON's `\\`), but the letter or digit before them was never looked
 * for, and `Dnb7Kq8\\\"Rw2Zx4L` left 7 characters on either side. A bound: a hostile run of
 * backslashes costs the same at every quote.
 */
const MAX_BACKSLASHES_BEFORE_QUOTE = 7;

/** Where the run of backslashes (up to MAX_BACKSLASHES_BEFORE_QUOTE) just before `at` starts; `at` where none stands there. */
function backslashRunStart(text: string, at: number): number {
  let from = at;
  while (at - from < MAX_BACKSLASHES_BEFORE_QUOTE && text.charCodeAt(from - 1) === BACKSLASH_CODE) from--;
  return from;
}

/** Whether one space or up to MAX_SPACES_BESIDE_JOINER, from `from` back, have an ASCII letter or digit before them. */
function alphanumericBeforeSpaces(text: string, from: number): boolean {
  let at = from;
  for (let spaces = 0; spaces < MAX_SPACES_BESIDE_JOINER && isSpace(text.charCodeAt(at)); spaces++) at--;
  return at !== from && isAlphanumeric(text.charCodeAt(at));
}

/** A code as pieces compare it: ASCII letters in small letters (a quoted piece may be re-cased). */
const folded = (code: number): number => (code >= 65 && code <= 90 ? code | 0x20 : code);

/** Counted characters sampled together: any piece of MIN_PIECE_LENGTH holds a gram of this many that starts at a multiple of it. */
const GRAM = 4;
/** A bitmap over sampled grams' hashes: most samples of an answer are turned away by one array read. */
const FILTER_BITS = 20;

/** A gram's four folded codes, one byte each (a code past 255 as a mix of its bytes: the bitmap may say yes; the windows decide). */
const byteOf = (code: number): number => (code < 256 ? code : (code ^ (code >>> 8)) & 0xff);
const filterSlot = (gram: number): number => Math.imul(gram, 0x9e3779b1) >>> (32 - FILTER_BITS);
/** Each UTF-16 code's byteOf(folded(code)) in the low byte and its CODE_KINDS (0 past ASCII) above: one array read per character in `find`'s loop. */
const STEPS = new Uint16Array(0x10000);
for (let code = 0; code < 0x10000; code++) STEPS[code] = byteOf(folded(code)) | ((code < 128 ? (CODE_KINDS[code] as number) : 0) << 8);
const PLAIN_STEP = PLAIN << 8;
const PERCENT_CODE = 0x25;
const QUOTE_STEP = (QUOTE << 8) | QUOTE_CODE;

/** STEPS' entry at `at`, as a counted character's for a double quote or joiner not passed over (JSON's own, beside structure: most of an answer's). */
function blockStep(text: string, at: number, held: HeldJoiners): number {
  const step = STEPS[text.charCodeAt(at)] as number;
  if (step === QUOTE_STEP) return passedOver(text, at, held) === 0 ? QUOTE_CODE : step;
  return step >>> 8 === JOINER && passedOver(text, at, held) === 0 ? step & 0xff : step;
}

/** Two folded codes as an index of SecretPieceSearch's `starts` (16 bits; a code past 255 as byteOf mixes it: the search decides). */
const pairOf = (first: number, second: number): number => (byteOf(first) << 8) | byteOf(second);

/** Characters in a row read together at each of findIn's first reads; a piece of MIN_PIECE_LENGTH holds one such block at a multiple of BLOCK_SPACING whatever its place. */
const BLOCK = 3;
const BLOCK_SPACING = MIN_PIECE_LENGTH - BLOCK + 1;

/**
 * A small letter, "-", "_" or ".": a piece of a secret made only of these is a word or words
 * ("password", "api-key-", "-backup-"), which provider text holds for its own reasons; it is left
 * to the whole secret's search (secrets.ts), or every "invalid password" an account whose
 * password holds the word gets back would read "invalid [redacted]". A piece with a digit, a
 * capital or other punctuation is looked for.
 */
const isWordCode = (code: number): boolean => (code >= 97 && code <= 122) || code === 45 || code === 95 || code === 46;

/**
 * Where any run of MIN_PIECE_LENGTH or more characters of a secret stands in a text, with
 * characters passedOver reads as none inside it (on either side) and ASCII case not counted (but
 * see isWordCode). One pass over the text that samples every GRAM-th counted character's last
 * GRAM against a bitmap of the secrets' grams (a piece of MIN_PIECE_LENGTH holds a sampled gram
 * whatever its place); only where the bitmap says yes are the windows there compared. A loop
 * over every character costs what the forms' native searches do not: some 150-330 ms over a
 * 32 MiB answer (a bare loop over its characters, 55-70 ms).
 */
/**
 * A window's codes as a number, by one of two multipliers: a window is a secret's when both
 * numbers are one of its windows' (a chance of some 2^-64 that a window of other text is taken
 * for one: 8 characters redacted that need not be). Strings built per window cost 16 s over
 * 32 MiB of a secret repeated.
 */
function windowHash(codes: ArrayLike<number>, start: number, multiplier: number): number {
  let hash = 0;
  for (let step = 0; step < MIN_PIECE_LENGTH; step++) hash = (Math.imul(hash, multiplier) + (codes[start + step] as number) + 1) | 0;
  return hash;
}
const FIRST_MULTIPLIER = 0x01000193;
const SECOND_MULTIPLIER = 0x5bd1e995;

export class SecretPieceSearch {
  /** Each window's first hash, and the second hashes of the windows that have it. */
  private readonly windows = new Map<number, number[]>();
  /** windowsFrom's codes and places, kept between calls: it runs at every sampled hit, a hostile answer's every fourth character. */
  private readonly nearCodes = new Int32Array(GRAM + MIN_PIECE_LENGTH * 2);
  private readonly nearPlaces = new Int32Array(GRAM + MIN_PIECE_LENGTH * 2);
  private readonly filter = new Uint8Array(1 << (FILTER_BITS - 3));
  /** The secrets' BLOCKs of counted characters in a row, as `filter` holds their grams. */
  private readonly blocks = new Uint8Array(1 << (FILTER_BITS - 3));
  private readonly places = new Int32Array(16);
  /** What `find` answered for recent texts (a search used alone; SecretPiecesByJoiners remembers for its searches, once). */
  private readonly remembered = new RememberedSpans();

  /** Per pair of codes (pairOf), 1 where a piece of a secret may start with them: escape-eaten-starts.ts asks it. */
  private readonly starts = new Uint8Array(1 << 13);

  /** The joiners the secrets hold: counted wherever they stand, in the secrets and in texts. */
  private readonly heldJoiners = new Uint8Array(128);

  constructor(secrets: Iterable<string>) {
    const all = [...secrets];
    for (const secret of all) for (const char of secret) if (JOINERS.includes(char)) this.heldJoiners[char.charCodeAt(0)] = 1;
    for (const secret of all) {
      // Per UTF-16 unit, as `find` reads a text.
      const raw: number[] = [];
      for (let at = 0; at < secret.length; ) {
        const skip = passedOver(secret, at, this.heldJoiners);
        if (skip === 0) raw.push(secret.charCodeAt(at));
        at += skip === 0 ? 1 : skip;
      }
      const codes = raw.map(folded);
      for (let start = 0; start + MIN_PIECE_LENGTH <= codes.length; start++) {
        if (raw.slice(start, start + MIN_PIECE_LENGTH).every(isWordCode)) continue;
        const window = codes.slice(start, start + MIN_PIECE_LENGTH);
        const pair = pairOf(window[0] as number, window[1] as number);
        this.starts[pair >>> 3]! |= 1 << (pair & 7);
        const first = windowHash(window, 0, FIRST_MULTIPLIER);
        const second = windowHash(window, 0, SECOND_MULTIPLIER);
        const held = this.windows.get(first);
        if (held === undefined) this.windows.set(first, [second]);
        else if (!held.includes(second)) held.push(second);
        for (let gramStart = 0; gramStart + GRAM <= MIN_PIECE_LENGTH; gramStart++) {
          const gram = window.slice(gramStart, gramStart + GRAM).reduce((packed, code) => ((packed << 8) | byteOf(code)) >>> 0, 0);
          const slot = filterSlot(gram);
          this.filter[slot >>> 3]! |= 1 << (slot & 7);
        }
        for (let blockStart = 0; blockStart + BLOCK <= MIN_PIECE_LENGTH; blockStart++) {
          const block = window.slice(blockStart, blockStart + BLOCK).reduce((packed, code) => ((packed << 8) | byteOf(code)) >>> 0, 0);
          const slot = filterSlot(block);
          this.blocks[slot >>> 3]! |= 1 << (slot & 7);
        }
      }
    }
  }

  /** Whether a piece of a secret may start with the counted characters `first` then `second` (UTF-16 codes, either case). */
  mayStartWith(first: number, second: number): boolean {
    const pair = pairOf(folded(first), folded(second));
    return ((this.starts[pair >>> 3] as number) & (1 << (pair & 7))) !== 0;
  }

  /**
   * The pieces (MIN_PIECE_LENGTH counted characters) that start at `start` of `text`, a letter or
   * digit, added to `found` as `findIn` adds them (spans in order; one overlapping the last made one
   * with it). Counted there even where a pass from the text's start reads it inside an escape.
   */
  findStartingAt(text: string, start: number, found: Span[]): void {
    if (this.windows.size > 0) this.windowsFrom(text, start, 1, found);
  }

  /** Whether any secret has a piece to look for (one of MIN_PIECE_LENGTH that is not all word characters). */
  get looksForPieces(): boolean {
    return this.windows.size > 0;
  }

  /** The parts of `text` holding a piece: in order, apart, each from a piece's first character to its last (remembered: RememberedSpans). */
  find(text: string): Span[] {
    if (this.windows.size === 0) return [];
    return this.remembered.find(text, (asked) => this.findIn(asked));
  }

  /**
   * The pieces standing wholly within `stretches` of `text` (in order, apart, each starting at the
   * text's start or at a character every pass counts: stretchAround's), as findIn finds them
   * there, and maybe more that read on past a stretch's end: in order, apart.
   */
  findWithin(text: string, stretches: readonly Span[]): Span[] {
    const found: Span[] = [];
    if (this.windows.size === 0) return found;
    for (const [start, end] of stretches) this.scan(text, start, end, found);
    return found;
  }

  /**
   * Where pieces stand in `text`. A piece spans at least MIN_PIECE_LENGTH places, so it holds
   * whole the BLOCK places from some place up to BLOCK_SPACING after any place before it; a block
   * of counted characters in a row that no secret holds (a bitmap of the secrets' blocks) rules
   * out every piece holding it. So blocks are read from BLOCK_SPACING past the last one ruled
   * out, back towards it (a space or an escape in a block keeps it from being ruled out), and
   * where none of them is, the text is passed over character by character (`scan`) from after
   * the last block ruled out to the next one's second character: a piece starts after the one
   * and ends before the other's last character. What is found is what a pass over the whole
   * text finds; a pass over every character made the search of a 32 MiB answer some 1.8-2
   * times as long as the scrub without it. Nothing remembered: `find` is that.
   */
  findIn(text: string): Span[] {
    if (this.windows.size === 0) return [];
    const found: Span[] = [];
    let lastRuledOut = -1;
    let suspectFrom = -1;
    for (let at = BLOCK_SPACING - 1; at < text.length; ) {
      if (suspectFrom < 0) {
        let back = at;
        for (let step = this.stepBack(text, back); step !== 0; step = this.stepBack(text, back)) {
          back -= step;
          if (back <= lastRuledOut) break;
        }
        if (back > lastRuledOut) {
          lastRuledOut = back;
          at = back + BLOCK_SPACING;
          continue;
        }
        suspectFrom = lastRuledOut + 1;
      } else if (this.stepBack(text, at) === 0) {
        this.scan(text, suspectFrom, at + BLOCK - 1, found);
        suspectFrom = -1;
        lastRuledOut = at;
      }
      at += BLOCK_SPACING;
    }
    // Not suspect at the end, the last block ruled out is less than BLOCK_SPACING from it: no piece after it.
    if (suspectFrom >= 0) this.scan(text, suspectFrom, text.length, found);
    return found;
  }

  /**
   * 0 when no piece holds the BLOCK characters from `at`: they are no passed-over character nor
   * the start of an escape, no escape begun before `at` takes them in (so they are counted ones,
   * in a row), and the bitmap of the secrets' blocks has none of them; a pass may then also start
   * at `at + 1`, as a pass from the text's start reads it. Otherwise how far back the next block
   * to try starts: the first that leaves out what kept this one (a space, an escape's start).
   */
  private stepBack(text: string, at: number): number {
    if (at + BLOCK > text.length) return 1;
    const first = blockStep(text, at, this.heldJoiners);
    if (first > 0xff) return BLOCK;
    const second = blockStep(text, at + 1, this.heldJoiners);
    if (second > 0xff) return BLOCK - 1;
    const third = blockStep(text, at + 2, this.heldJoiners);
    if (third > 0xff) return BLOCK - 2;
    const slot = filterSlot(((first << 16) | (second << 8) | third) >>> 0);
    if (((this.blocks[slot >>> 3] as number) & (1 << (slot & 7))) !== 0) return 1;
    // A "\\" or "%" just before, or a "%" two before, may begin an escape that takes the block's first characters in.
    const before = at >= 1 ? (STEPS[text.charCodeAt(at - 1)] as number) >>> 8 : 0;
    if (before === BACKSLASH || before === PERCENT) return BLOCK + 1;
    return at >= 2 && text.charCodeAt(at - 2) === PERCENT_CODE ? BLOCK + 2 : 0;
  }

  /**
   * findIn's pass over `text` from `start` to `end`, where it starts after a character no escape
   * holds: counted characters are read as a pass from the text's start reads them. Windows that
   * start before `end` are compared, reading on past it.
   */
  private scan(text: string, start: number, end: number, found: Span[]): void {
    // Raw places of the last 16 counted characters: where a sampled gram's windows may start.
    const places = this.places;
    let counted = 0;
    let gram = 0;
    // The first window start (a count of counted characters) not yet compared: each is compared
    // once, however many sampled grams hit beside it. Compared at every hit, the windows of an
    // answer of a secret repeated (a hostile provider's) were pushed 12 times over, and 32 MiB
    // of it ran out of heap.
    let unexamined = 0;
    for (let at = start; at < end; at++) {
      const step = STEPS[text.charCodeAt(at)] as number;
      if (step > 0xff) {
        if (step === PLAIN_STEP) continue;
        const skip = passedOver(text, at, this.heldJoiners);
        if (skip !== 0) {
          at += skip - 1;
          continue;
        }
      }
      places[counted & 15] = at;
      gram = (gram << 8) | (step & 0xff);
      counted++;
      if ((counted & (GRAM - 1)) !== 0) continue;
      const slot = filterSlot(gram >>> 0);
      if (((this.filter[slot >>> 3] as number) & (1 << (slot & 7))) === 0) continue;
      // A window holding the gram (the last GRAM counted) starts at most MIN_PIECE_LENGTH - GRAM before it, and at it at the latest.
      const first = Math.max(counted - MIN_PIECE_LENGTH, unexamined);
      const last = counted - GRAM;
      if (first > last) continue;
      this.windowsFrom(text, places[first & 15] as number, last - first + 1, found);
      unexamined = last + 1;
    }
  }

  /**
   * The secrets' windows starting at any of the first `starts` counted characters from `from`,
   * added to `found` (whose spans start in order: each new one is made one with the last it overlaps).
   */
  private windowsFrom(text: string, from: number, starts: number, found: Span[]): void {
    const codes = this.nearCodes;
    const places = this.nearPlaces;
    const wanted = Math.min(starts + MIN_PIECE_LENGTH - 1, codes.length);
    let length = 0;
    for (let at = from; at < text.length && length < wanted; ) {
      const skip = passedOver(text, at, this.heldJoiners);
      if (skip === 0) {
        codes[length] = folded(text.charCodeAt(at));
        places[length++] = at;
      }
      at += skip === 0 ? 1 : skip;
    }
    for (let start = 0; start < starts && start + MIN_PIECE_LENGTH <= length; start++) {
      const seconds = this.windows.get(windowHash(codes, start, FIRST_MULTIPLIER));
      if (seconds === undefined || !seconds.includes(windowHash(codes, start, SECOND_MULTIPLIER))) continue;
      const span: Span = [places[start] as number, (places[start + MIN_PIECE_LENGTH - 1] as number) + 1];
      const previous = found.at(-1);
      if (previous && span[0] < previous[1]) previous[1] = Math.max(previous[1], span[1]);
      else found.push(span);
    }
  }
}
