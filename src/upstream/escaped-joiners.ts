import { endianness } from 'node:os';
import { byteEscapeDigitsAt } from './byte-escapes.js';
import type { Span } from './escape-reading.js';
import { KEPT_FROM_DEPTH, LevelEnds } from './level-ends.js';
import { JOINERS, MAX_SPACES_BESIDE_JOINER, MIN_PIECE_LENGTH, alphanumericPastJsonSpaces, isSpace, jsonSpaceAt, stretchAround } from './secret-pieces.js';

/**
 * Punctuation written as an escape between two ASCII letters or digits, read as the character for
 * the piece search (secret-pieces.ts): HTML's `&lt;`, `&quot;`, `&#60;`, `&#x3c;`, a URL's `%3C`,
 * JSON's `\u003c` and a literal's `\x3c`. The piece search reads no escape of a joiner: inside a
 * secret of letters and digits (`Dnb7Kq8&lt;Rw2Zx4LmT`), or in place of a secret's own
 * punctuation beside a split (`Dnb7&lt;Kq8Rw2 Zx4&quot;LmT` for `Dnb7<Kq8Rw2Zx4"LmT`), 7
 * characters of the secret stayed beside it. Only between letters or digits: that is where a
 * joiner is passed over or stands inside a secret's piece, and a text with none such (nearly
 * every answer; a URL's `a%2Fb` is one) is searched once, as before. A joiner's escape is read
 * with a space or two on one side of it or both too, and a run of them as one (`Dnb7Kq8 &lt;Rw2Zx4LmT`,
 * `Dnb7Kq8&lt;%3CRw2Zx4LmT`, `%253C`: 9 characters stayed; `Dnb7Kq8 &amp; Rw2Zx4L`, 7 either side),
 * a space or two inside the run and joiners as they stand in it too (`\u002d \u002d`, `&lt; %3C`,
 * `- &lt;`: joinerRunEnd, plainJoinersBefore), and punctuation a backslash escapes (`\-`, `\/`).
 * An apostrophe's escape is read so too (the piece search passes over `'` anywhere), a double
 * quote's with a space or two on one side only (`b7Kq8Rw&quot; 2Zx4LmT`, `\u0022 `, `%2522 `: 7
 * either side stayed), as the piece search passes over `"` and `\"`. The letter or digit past the
 * spaces may be an escape itself (`Dnb7 &amp; %4Bq8R`, `Kq&#56; &amp; Rw2`: they stayed too).
 *
 * An escape of an ASCII letter or digit (`%44`, `&#x44;`, `&#68;`, `\u0044`, `\x44`, escaped
 * again as `%2544`, `&amp;#68;`) is read as well, wherever it stands: a piece written in them
 * (`%44%6E%62%37%4B%71%38%52`, `%44n%62%37Kq8R`, a second half `%5A%78%34LmTpQ` after a redacted
 * first) is the secret's to any decoder, and the piece search read it as it stands. A text with
 * no such escape and no joiner's (nearly every answer: encoders leave letters and digits alone) is
 * still searched once; a cut of a long answer is kept from beside one (scrub-pieces.ts).
 */

/** What the escapes read as: the joiners, the double quote and the apostrophe (passed over between letters or digits, and beside spaces as escapesIn says). */
const READ_CHARACTERS = new Set([...JOINERS, '"', "'"].map((char) => char.charCodeAt(0)));
/**
 * The joiners alone: an escape of one is read with a space or two on either side or both as well, and a run of them
 * (`&lt;%3C`) as one, as the piece search passes over one joiner with spaces beside it.
 */
const JOINER_CODES = new Set([...JOINERS].map((char) => char.charCodeAt(0)));
/** The joiners a backslash escapes as they stand (`\-`, `\/`): all but "&", which would start another escape to read. */
const BACKSLASH_ESCAPED_JOINERS = new Set([...JOINER_CODES].filter((code) => code !== 0x26));
const QUOTE_CODE = 0x22;
const APOSTROPHE_CODE = 0x27;

/** HTML5's names for them (escape-reading.ts reads the same), and those browsers read without ";". */
const NAMES: Readonly<Record<string, string>> = {
  excl: '!', quot: '"', QUOT: '"', num: '#', dollar: '$', amp: '&', AMP: '&', apos: "'", lpar: '(', rpar: ')', ast: '*', midast: '*',
  comma: ',', period: '.', sol: '/', colon: ':', semi: ';', lt: '<', LT: '<', equals: '=', gt: '>', GT: '>', quest: '?', commat: '@',
  lsqb: '[', lbrack: '[', rsqb: ']', rbrack: ']', Hat: '^', lowbar: '_', UnderBar: '_', lcub: '{', lbrace: '{', verbar: '|', vert: '|',
  VerticalLine: '|', rcub: '}', rbrace: '}',
};
const BARE_NAMES = ['quot', 'QUOT', 'amp', 'AMP', 'lt', 'LT', 'gt', 'GT'];
/** The longest name NAMES has: a run of letters after "&" is read no further. */
const LONGEST_NAME = Math.max(...Object.keys(NAMES).map((name) => name.length));
/** Leading zeros read in a numeric reference, as escaped-whitespace.ts bounds them. */
const MAX_ZEROS = 7;

const isAlphanumeric = (code: number): boolean => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const isLetter = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
/** A hex digit's value (either case), or -1. */
const hexValue = (code: number): number => (code >= 48 && code <= 57 ? code - 48 : (code | 0x20) >= 97 && (code | 0x20) <= 102 ? (code | 0x20) - 87 : -1);

/**
 * The escapes read, in order and apart: where each stands (`at` to `end`) and the character it
 * reads as. Numbers in arrays, not an object per escape: a hostile answer may be one escape every
 * four characters (`a%2Fa%2F...`), which the first build of this, a regex match and an object
 * per escape, read at some 5 times a plain list's scrub.
 */
interface Escapes {
  at: number[];
  end: number[];
  code: number[];
}

/**
 * Where an escape of a byte below 0x80 that starts at `at` ends, its code in `out[0]`; -1 where
 * none does. `%XX`; `\xXX`, `\u00XX` or `\U000000XX` (byte-escapes.ts) after one backslash or more (any number: a JSON string doubles them);
 * `&#NN;` and `&#xXX;` (up to MAX_ZEROS leading zeros, ";" or not, a digit after ending none:
 * `&#x3c2` is another character); `&name;`, and the legacy names without ";". An escape
 * of a marker is read on with what follows it (markerEscapeEnd), the levels read kept in `ends`
 * where given. Read by hand: a regex at each marker of a hostile answer cost more than the piece
 * search it serves.
 */
function escapeEnd(text: string, at: number, out: Int32Array, ends: LevelEnds | null): number {
  return markerEscapeEnd(text, text.charCodeAt(at), at + 1, out, ends);
}

/**
 * escapeEnd of an escape whose marker (`marker`: "%", a backslash or "&") stands just before
 * `from`. Where the escape reads as a marker itself (`&amp;`, `%25`, `\u0026`), what follows is
 * read as the escape that marker starts, and so on, at any depth: `&amp;lt;`, `%2525253C` (an
 * escape escaped again by HTML inside HTML, a URL inside a URL's query) and
 * `\u005c\u005c\u005c\u005c\u002d` (the text's own `\\\\-` written as JSON escapes) read as a
 * reader of the text as many times does, and left the 7 characters beside them. Where nothing
 * after makes one, the marker read last. A level whose own text holds a marker (`\u005c`, a
 * `%253B`) was read three deep at most, so a hostile provider picked a depth the reading left:
 * each marker inside is also a place escapesIn reads from, and each such reading went on to the
 * run's end, the square of its length. Such a level's end is kept in `ends` (LevelEnds): a reading
 * from a later marker meets it at the level after its first and stops there, so each is read once.
 */
function markerEscapeEnd(text: string, marker: number, from: number, out: Int32Array, ends: LevelEnds | null): number {
  let end = ownEscapeEnd(text, marker, from, out, 0);
  if (end < 0 || !isMarker(out[0] as number)) return end;
  let percents = marker === 0x25 ? 1 : 0;
  const marked = markedLevels;
  marked.length = 0;
  for (;;) {
    // A marker (`code`) read, standing just before `end`: the next level is the escape it starts.
    const code = out[0] as number;
    const known = ends === null ? -1 : ends.endOf(end, code, percents, out);
    if (known >= 0) {
      end = known;
      break;
    }
    const inner = ownEscapeEnd(text, code, end, out, percents);
    if (inner < 0) {
      out[0] = code;
      break;
    }
    if (ends !== null && holdsMarker(text, end, inner)) marked.push(end, code, percents);
    if (code === 0x25) percents++;
    end = inner;
    if (!isMarker(out[0] as number)) break;
  }
  // Every level of a reading ends where the last does, as what it reads as. A shallow one is read again from each start, at a bounded cost.
  if (marked.length > KEPT_FROM_DEPTH * 3) for (let index = 0; index < marked.length; index += 3) (ends as LevelEnds).remember(marked[index] as number, marked[index + 1] as number, marked[index + 2] as number, end, out[0] as number);
  return end;
}
/** The levels holding a marker of the reading under way: where each starts, its marker and its URL encodings, in threes. */
const markedLevels: number[] = [];

/** Whether a marker stands in `text` from `from` to `to`. */
function holdsMarker(text: string, from: number, to: number): boolean {
  for (let at = from; at < to; at++) if (isMarker(text.charCodeAt(at))) return true;
  return false;
}

/**
 * One escape (escapeEnd's) after its marker, none inside it read. `percents`: the URL encodings the
 * marker was read through (`%26` is 1, `%2526` 2): a URL encoder writes a numeric reference's "#"
 * and ";" as it wrote its "&" (`&#68;` is `%26%2368%3B`), and left its digits.
 */
function ownEscapeEnd(text: string, marker: number, from: number, out: Int32Array, percents: number): number {
  if (marker === 0x25) return hexByteEnd(text, from, out);
  if (marker === 0x5c) {
    let kindAt = from;
    while (text.charCodeAt(kindAt) === 0x5c) kindAt++;
    // Any number: 1, 2, 4 or 8 are the escape doubled by the JSON strings around it, 16 and more by five strings or more, and 3, 5, 6 or 7 a
    // backslash of the text's own (`\\`) then the escape, which read the secret's pieces apart all the same (`Dnb7Kq8\\\u002dRw2Zx4L`).
    // Bounded at seven, 16 before `\u002d` left 7 characters on either side. escapesIn reads a run of them from its first alone.
    // Punctuation after them is that punctuation escaped (a regex's or a shell's `\-`, JSON's `\/`): `Dnb7Kq8\-Rw2Zx4L` left 7.
    const escaped = text.charCodeAt(kindAt);
    if (BACKSLASH_ESCAPED_JOINERS.has(escaped)) {
      out[0] = escaped;
      return kindAt + 1;
    }
    const digitsAt = byteEscapeDigitsAt(text, kindAt);
    return digitsAt < 0 ? -1 : hexByteEnd(text, digitsAt, out);
  }
  if (text.charCodeAt(from) === 0x23) return numericReferenceEnd(text, from + 1, out, 0);
  const hashEnd = percents > 0 ? percentWrittenEnd(text, from, percents, 0x23) : -1;
  return hashEnd >= 0 ? numericReferenceEnd(text, hashEnd, out, percents) : namedReferenceEnd(text, from, out, percents);
}

/** Where `byte` percent-encoded `percents` times (`%23`, `%2523`) at `at` ends; -1 where it is not so written. */
function percentWrittenEnd(text: string, at: number, percents: number, byte: number): number {
  if (text.charCodeAt(at) !== 0x25) return -1;
  let from = at + 1;
  for (let level = 1; level < percents; level++, from += 2) if (text.charCodeAt(from) !== 0x32 || text.charCodeAt(from + 1) !== 0x35) return -1;
  const high = hexValue(text.charCodeAt(from));
  const low = hexValue(text.charCodeAt(from + 1));
  return high >= 0 && low >= 0 && high * 16 + low === byte ? from + 2 : -1;
}

/** Two hex digits at `from` writing a byte below 0x80. */
function hexByteEnd(text: string, from: number, out: Int32Array): number {
  const high = hexValue(text.charCodeAt(from));
  const low = hexValue(text.charCodeAt(from + 1));
  if (high < 0 || high > 7 || low < 0) return -1;
  out[0] = high * 16 + low;
  return from + 2;
}

function numericReferenceEnd(text: string, from: number, out: Int32Array, percents: number): number {
  const hex = (text.charCodeAt(from) | 0x20) === 0x78;
  let at = hex ? from + 1 : from;
  const zerosEnd = at + MAX_ZEROS;
  while (at < zerosEnd && text.charCodeAt(at) === 0x30) at++;
  let value = 0;
  let digits = 0;
  for (;; at++, digits++) {
    const code = text.charCodeAt(at);
    const digit = hex ? hexValue(code) : code >= 48 && code <= 57 ? code - 48 : -1;
    if (digit < 0) break;
    // More than three digits past the zeros is past ASCII: no character read here.
    if (digits === 3) return -1;
    value = value * (hex ? 16 : 10) + digit;
  }
  if (digits === 0 || value >= 0x80) return -1;
  out[0] = value;
  if (text.charCodeAt(at) === 0x3b) return at + 1;
  const semicolonEnd = percents > 0 ? percentWrittenEnd(text, at, percents, 0x3b) : -1;
  return semicolonEnd >= 0 ? semicolonEnd : at;
}

function namedReferenceEnd(text: string, from: number, out: Int32Array, percents: number): number {
  let at = from;
  while (at - from < LONGEST_NAME && isLetter(text.charCodeAt(at))) at++;
  if (at === from) return -1;
  // Its ";" URL-encoded as its "&" was (`%26amp%3B`): a reader decoding the URL reads the name whole.
  const semicolonEnd = text.charCodeAt(at) === 0x3b ? at + 1 : percents > 0 ? percentWrittenEnd(text, at, percents, 0x3b) : -1;
  if (semicolonEnd >= 0) {
    const name = text.slice(from, at);
    // NAMES is a plain object: `&constructor;` read Object's own function there, and `.charCodeAt` threw.
    const named = Object.hasOwn(NAMES, name) ? NAMES[name] : undefined;
    if (named !== undefined) {
      out[0] = named.charCodeAt(0);
      return semicolonEnd;
    }
  }
  for (const name of BARE_NAMES) {
    if (text.startsWith(name, from)) {
      out[0] = (NAMES[name] as string).charCodeAt(0);
      return from + name.length;
    }
  }
  return -1;
}

const MARKERS = ['%', '\\', '&'];
/** Characters read one by one past a marker before the next is looked for by indexOf again. */
const QUIET_RUN = 32;
const isMarker = (code: number): boolean => code === 0x25 || code === 0x5c || code === 0x26;

/**
 * The escapes of READ_CHARACTERS with an ASCII letter or digit on either side, in order. The
 * markers are found by indexOf (each marker's next place kept, so each is searched for once over
 * the text), and past one the characters are read one by one until QUIET_RUN without a marker:
 * an indexOf per marker of a hostile answer made of them (`\x\x...`, `%%%...`) cost some 100 ns
 * each, twice the scrub's own work on such a text.
 */
function escapesIn(text: string): Escapes {
  const found: Escapes = { at: [], end: [], code: [] };
  // out[0]: the code an escape reads as; out[1]: the first joiner as it stands in a run (joinerRunEnd), 0 where none.
  const out = new Int32Array(2);
  // The levels read of escapes inside escapes, so that a marker inside one read already starts no reading to the run's end again.
  const ends = new LevelEnds(text.length);
  const letterEscapeAtHere = (within: string, at: number): boolean => letterEscapeAt(within, at, ends);
  const next = MARKERS.map((marker) => text.indexOf(marker));
  /** The first marker at or after `from`, -1 where none is. */
  const nextMarker = (from: number): number => {
    let first = -1;
    for (let index = 0; index < MARKERS.length; index++) {
      let place = next[index] as number;
      if (place >= 0 && place < from) next[index] = place = text.indexOf(MARKERS[index] as string, from);
      if (place >= 0 && (first < 0 || place < first)) first = place;
    }
    return first;
  };
  let quiet = 0;
  for (let at = nextMarker(0); at >= 0 && at < text.length; ) {
    if (!isMarker(text.charCodeAt(at))) {
      if (++quiet < QUIET_RUN) at++;
      else {
        at = nextMarker(at);
        quiet = 0;
      }
      continue;
    }
    quiet = 0;
    // Inside a run of backslashes an escape reads as it does from the run's first, where it was read: a letter's was taken there, and
    // no other is read here (a backslash before it is neither a letter nor a joiner). Read again from each, a hostile run cost its square.
    if (text.charCodeAt(at) === 0x5c && at > 0 && text.charCodeAt(at - 1) === 0x5c) {
      at++;
      continue;
    }
    const end = escapeEnd(text, at, out, ends);
    const code = out[0] as number;
    if (end >= 0 && isAlphanumeric(code)) {
      // A letter or digit escaped reads as itself wherever it stands: `%44%6E%62%37` is "Dnb7" to any decoder.
      found.at.push(at);
      found.end.push(end);
      found.code.push(code);
      at = end;
      continue;
    }
    // Places past either end asked of charCodeAt are NaN, a double: V8 then reads every code as one (a text starting with a marker read at a sixth of the speed).
    // An escape of a letter or digit just read counts as one before (`&#x37;&lt;&#x4B;`).
    const afterLetterEscape = found.end.length > 0 && found.end[found.end.length - 1] === at && isAlphanumeric(found.code[found.code.length - 1] as number);
    const spacedBefore = at > 0 && !afterLetterEscape && !isAlphanumeric(text.charCodeAt(at - 1));
    if (end < 0 || !READ_CHARACTERS.has(code) || at === 0) {
      at++;
      continue;
    }
    const joiner = JOINER_CODES.has(code);
    // Joiners as they stand before a joiner's escape (`- \u002d`) are read with it.
    const start = !spacedBefore || letterBeforeSpaces(text, at, found) ? at : joiner ? plainJoinersBefore(text, at, found, found.end.at(-1) ?? 0) : -1;
    if (start < 0) {
      at++;
      continue;
    }
    out[1] = 0;
    const runEnd = joiner ? joinerRunEnd(text, end, out, ends) : end;
    const plainInRun = out[1] as number;
    // Spaces on both sides too (`Dnb7 &amp; Kq8R`): the piece search passes over `Dnb7 & Kq8R` so, and 7 characters stayed on either side of
    // the escape. ` &amp; ` is how text writes "and"; reading it costs a search of the stretch around it alone (stretchesAroundEscapes).
    // A double quote's escape on one side only (`b7Kq8Rw&quot; 2Zx4LmT`), as the piece search passes over `"` and `\"`: with spaces on
    // both sides a quote is counted (quotePassedOver, secret-pieces.ts), and reading it would only cost a search.
    // Past the spaces (JSON-escaped too: `&lt;\tR`) the letter may be an escape (`&amp; %4Bq8R`); the step over them is the piece search's own.
    const nextToLetter = runEnd < text.length && (isAlphanumeric(text.charCodeAt(runEnd)) || letterEscapeAt(text, runEnd, ends));
    const after = nextToLetter || ((joiner || code === APOSTROPHE_CODE || (code === QUOTE_CODE && !spacedBefore)) && alphanumericPastJsonSpaces(text, runEnd, letterEscapeAtHere));
    if (!after) {
      // A later escape of the run ends where it does, with the same character after: none is read either.
      at = runEnd === end ? at + 1 : runEnd;
      continue;
    }
    found.at.push(start);
    found.end.push(runEnd);
    // A run with a joiner as it stands in it is read as the first such: one a secret holds (`~` in `Key~%28x`, `-` in `x%3B-77b4`)
    // stays where the secret has it, as it stood in the text the first search read.
    found.code.push(start !== at ? text.charCodeAt(start) : plainInRun !== 0 ? plainInRun : code);
    at = runEnd;
  }
  return found;
}

/**
 * Whether the joiner at `at` may be read by escapesIn as one of a run of joiners (`-,-\u002d`,
 * `\u002d,,,`, `\,`, `- , %2D`), or at its either end: a large answer is never cut just after
 * one such (scrub-pieces.ts). A run is read as one joiner only with the letters on either side of it
 * in view: cut inside `Dnb7Kq8-,-\u002dRw2Zx4L` after a comma, neither piece read it, and 7
 * characters of the secret stayed on either side. Such a run holds an escape of a joiner; so the
 * stretch of joiners and spaces around `at` (as they stand) must hold an "&", or have an escape's
 * marker just past it (a "%" or backslash, not of a letter or digit: JSON's escaped space starts with one too), or an escape's
 * end just before it: a marker, or letters and digits (a hex byte, `u002d`, `lt`, `#45`'s digits)
 * after a marker, "#" or ";" (`&amp;lt`), or more of them than LONGEST_ESCAPE_TAIL (`%25252...2D`).
 * Where none of those is, `<vm><id>`, `},{"`, `"a":1`, it is cut as before. `stretch[0]` is set to
 * where the stretch ends, to look for the next separator past it: each stretch is read once.
 */
export function mayStandInJoinerRun(text: string, at: number, stretch: Int32Array): boolean {
  let end = at + 1;
  let ampersand = false;
  for (let code = text.charCodeAt(end); JOINER_CODES.has(code) || isSpace(code); code = text.charCodeAt(++end)) ampersand ||= code === 0x26;
  stretch[0] = end;
  // An escape of a letter or digit past it ends a run there (`",%71`): only a joiner's goes on.
  if (ampersand || (isMarker(text.charCodeAt(end)) && !letterEscapeAt(text, end, null))) return true;
  let start = at;
  for (let code = text.charCodeAt(start - 1); start - 1 >= 0 && (JOINER_CODES.has(code) || isSpace(code)); code = text.charCodeAt(--start - 1)) {
    if (code === 0x26 || at - start > LONGEST_QUIET_STRETCH) return true;
  }
  if (start === 0) return false;
  if (isMarker(text.charCodeAt(start - 1))) return true;
  let tail = start - 1;
  while (tail >= 0 && isAlphanumeric(text.charCodeAt(tail))) {
    if (start - tail > LONGEST_ESCAPE_TAIL) return true;
    tail--;
  }
  if (tail === start - 1 || tail < 0) return false;
  const before = text.charCodeAt(tail);
  return isMarker(before) || before === 0x23 || before === 0x3b;
}
/** Letters and digits an escape of a joiner may end in after its marker, "#" or ";" (`U0000002d`, `u005cu005cu002d`, `2525252D`); more are taken for one. */
const LONGEST_ESCAPE_TAIL = 24;
/** Joiners and spaces looked back over before a separator: a longer stretch is taken for one a run may hold (a look back over it at each cut cost its length). */
const LONGEST_QUIET_STRETCH = 64;

const letterOut = new Int32Array(1);
/** Whether an escape of an ASCII letter or digit starts at `at` (a joiner's escape before it is read between letters so). */
function letterEscapeAt(text: string, at: number, ends: LevelEnds | null): boolean {
  return isMarker(text.charCodeAt(at)) && escapeEnd(text, at, letterOut, ends) >= 0 && isAlphanumeric(letterOut[0] as number);
}

/**
 * Where the joiners that follow one ending at `end` end (`end` where none follows): escaped (`&lt;%3C`)
 * or as they stand (`\u002d-`), with nothing between or a space or two (as they stand, JSON-escaped
 * or behind backslashes: jsonSpaceAt), all read as the one before them. A run with a space inside
 * (`\u002d \u002d`, `&lt; %3C`, `%2D -`) was read no further than its first joiner, the piece search
 * passes over no joiner beside another, and 7 characters of a secret stayed on either side of it;
 * cut every 7 characters, the whole secret went out. Each joiner of the run is read once, as
 * escapesIn goes on from the run's end.
 */
function joinerRunEnd(text: string, end: number, out: Int32Array, ends: LevelEnds): number {
  let runEnd = end;
  for (let next = joinerAfterSpaces(text, runEnd, out, ends); next >= 0; next = joinerAfterSpaces(text, runEnd, out, ends)) runEnd = next;
  return runEnd;
}

/** Where a joiner at `from`, or past a space or two from it (jsonSpaceAt), ends, escaped or as it stands (the first such in `out[1]`, where it holds 0); -1 where none stands there. */
function joinerAfterSpaces(text: string, from: number, out: Int32Array, ends: LevelEnds): number {
  let at = from;
  for (let spaces = 0; spaces < MAX_SPACES_BESIDE_JOINER && at < text.length; spaces++) {
    const width = jsonSpaceAt(text, at);
    if (width === 0) break;
    at += width;
  }
  if (at >= text.length) return -1;
  const code = text.charCodeAt(at);
  if (isMarker(code)) {
    const next = escapeEnd(text, at, out, ends);
    // An escape of a letter, a digit or other punctuation ends the run; a bare "&" (no escape) is a joiner as it stands.
    if (next >= 0) return JOINER_CODES.has(out[0] as number) ? next : -1;
  }
  if (!JOINER_CODES.has(code)) return -1;
  if (out[1] === 0) out[1] = code;
  return at + 1;
}

/**
 * Where a run of joiners as they stand, a space or two between them allowed (`- \u002d`, `-\u002d`),
 * just before the escape at `at` starts, past a letter or digit (as it stands or escaped: the last of
 * `found` ending there) a space or two before it: the run is read with the escape, as one joiner.
 * -1 where no such run stands there. No further back than `floor` (the end of the escape read last),
 * nor past a marker: a run read back holds none and every escape starts with one, so the runs read
 * back from two escapes never overlap, and a hostile run is read once. Of any length: bounded at
 * four, `Dnb7Kq8-----\u002dRw2Zx4L` left 7 characters on either side.
 */
function plainJoinersBefore(text: string, at: number, found: Escapes, floor: number): number {
  let start = at;
  for (let joiners = 0; ; joiners++) {
    let before = start - 1;
    while (start - 1 - before < MAX_SPACES_BESIDE_JOINER && before >= floor && isSpace(text.charCodeAt(before))) before--;
    // At the escape read last: an escape of a letter or digit ending there counts as one (`%41-\u002d`).
    if (before < floor) return joiners > 0 && alphanumericJustBefore(text, start, found) ? start : -1;
    const code = text.charCodeAt(before);
    if (!JOINER_CODES.has(code) || isMarker(code)) return joiners > 0 && alphanumericJustBefore(text, start, found) ? start : -1;
    start = before;
  }
}

/** Whether an ASCII letter or digit stands just before `at`, or before a space or two there: as it stands, or escaped (the last of `found` ending there). */
function alphanumericJustBefore(text: string, at: number, found: Escapes): boolean {
  if (at > 0 && isAlphanumeric(text.charCodeAt(at - 1))) return true;
  const last = found.end.length - 1;
  if (last >= 0 && found.end[last] === at && isAlphanumeric(found.code[last] as number)) return true;
  return letterBeforeSpaces(text, at, found);
}

/**
 * Whether one space or up to MAX_SPACES_BESIDE_JOINER just before `at` have an ASCII letter or
 * digit before them, as it stands or escaped: an escape of one (`Kq&#56; &amp; Rw2`) was read
 * already, the last of `found` if it ends there.
 */
function letterBeforeSpaces(text: string, at: number, found: Escapes): boolean {
  let before = at - 1;
  while (at - 1 - before < MAX_SPACES_BESIDE_JOINER && before >= 0 && isSpace(text.charCodeAt(before))) before--;
  if (before === at - 1 || before < 0) return false;
  if (isAlphanumeric(text.charCodeAt(before))) return true;
  const last = found.end.length - 1;
  return last >= 0 && found.end[last] === before + 1 && isAlphanumeric(found.code[last] as number);
}

/** `text` with each such escape read, and where they stood; null when it holds none (the piece search then reads `text` alone). */
export interface JoinersRead {
  text: string;
  escapes: Escapes;
}

export function readEscapedJoiners(text: string): JoinersRead | null {
  const escapes = escapesIn(text);
  const count = escapes.at.length;
  if (count === 0) return null;
  let removed = 0;
  for (let index = 0; index < count; index++) removed += (escapes.end[index] as number) - (escapes.at[index] as number) - 1;
  const units = new Uint16Array(text.length - removed);
  let length = 0;
  let copied = 0;
  for (let index = 0; index <= count; index++) {
    const stop = index < count ? (escapes.at[index] as number) : text.length;
    for (let at = copied; at < stop; at++) units[length++] = text.charCodeAt(at);
    if (index === count) break;
    units[length++] = escapes.code[index] as number;
    copied = escapes.end[index] as number;
  }
  return { text: textOf(units), escapes };
}

/** UTF-16 units as a string, in one native copy (Buffer's UTF-16 is little-endian: swapped first on a big-endian machine). */
function textOf(units: Uint16Array): string {
  const bytes = Buffer.from(units.buffer, units.byteOffset, units.byteLength);
  if (BIG_ENDIAN) bytes.swap16();
  return bytes.toString('utf16le');
}
const BIG_ENDIAN = endianness() === 'BE';

/** Where `spans` of `read.text` (in order, apart) stand in the text it was read from: an escape a span holds goes whole. */
export function spansInSource(read: JoinersRead, spans: readonly Span[]): Span[] {
  const { at: starts, end: ends } = read.escapes;
  let next = 0;
  // Source index minus read index, over the escapes before the place asked.
  let shift = 0;
  /** The source place of read place `index` (asked in order), and where the escape standing there ends (-1: none stands there). */
  const sourceAt = (index: number): [at: number, escapeEnd: number] => {
    while (next < starts.length && (starts[next] as number) - shift < index) {
      shift += (ends[next] as number) - (starts[next] as number) - 1;
      next++;
    }
    return next < starts.length && (starts[next] as number) - shift === index ? [starts[next] as number, ends[next] as number] : [index + shift, -1];
  };
  return spans.map(([start, end]): Span => {
    const [from] = sourceAt(start);
    const [last, escapeEnd] = sourceAt(end - 1);
    return [from, escapeEnd >= 0 ? escapeEnd : last + 1];
  });
}

/**
 * Where in `read.text` the piece search may find what it does not in the text read from: the
 * stretches around each escape read (stretchAround, made one where they overlap or touch).
 * Elsewhere the two read alike, and the search of the text found all there is. Null when they
 * would cover half the reading or more (a hostile answer of escapes: every place is near one),
 * where a search of the whole reading costs no more.
 */
export function stretchesAroundEscapes(read: JoinersRead): Span[] | null {
  const { at: starts, end: ends } = read.escapes;
  const length = read.text.length;
  // Each stretch holds MIN_PIECE_LENGTH characters or more either side of its escape.
  if (starts.length * MIN_PIECE_LENGTH * 4 > length) return null;
  const stretches: Span[] = [];
  let covered = 0;
  let shift = 0;
  for (let index = 0; index < starts.length; index++) {
    const [start, end] = stretchAround(read.text, (starts[index] as number) - shift);
    shift += (ends[index] as number) - (starts[index] as number) - 1;
    const last = stretches.at(-1);
    if (last && start <= last[1]) {
      covered += Math.max(end - last[1], 0);
      last[1] = Math.max(last[1], end);
    } else {
      covered += end - start;
      stretches.push([start, end]);
    }
    if (covered * 2 >= length) return null;
  }
  return stretches;
}
