import { BYTE_ESCAPE_HEAD_SOURCE, LITERAL_BYTE_HEADS } from './byte-escapes.js';
import { decodesAsUtf8, percentCodePointAt, utf8Length } from './percent-utf8.js';

/**
 * A text read once through its escapes: each backslash escape (JSON's, and
 * the `\'`, `\xNN`, `\u{...}` and octal `\NNN` of Python, JavaScript and C
 * string literals), %XX escape
 * and HTML character reference replaced by what it stands for, as a
 * provider's own reader (a JSON parser, a URL decoder, a browser) would. The
 * scrubber reads an answer through again and again to find a secret behind
 * nested escapes (`%2522`, `\u0026quot;`); the answer itself keeps its own.
 */

/** Characters as they stand for themselves. */
export type Span = [start: number, end: number];

/** One escape of a text, and what it reads as. */
interface ReadUnit {
  at: number;
  end: number;
  read: string;
}

/**
 * HTML5's names for ASCII characters other than letters and digits (a secret
 * may hold any of them), and the ones browsers also read without the ";".
 * Names are case-sensitive: `&QUOT;` is one, `&Quot;` is not.
 */
const HTML_NAMES: Readonly<Record<string, string>> = {
  Tab: '\t', NewLine: '\n', excl: '!', quot: '"', QUOT: '"', num: '#', dollar: '$', percnt: '%', amp: '&', AMP: '&', apos: "'",
  lpar: '(', rpar: ')', ast: '*', midast: '*', plus: '+', comma: ',', period: '.', sol: '/', colon: ':', semi: ';', lt: '<', LT: '<',
  equals: '=', gt: '>', GT: '>', quest: '?', commat: '@', lsqb: '[', lbrack: '[', bsol: '\\', rsqb: ']', rbrack: ']', Hat: '^',
  lowbar: '_', UnderBar: '_', grave: '`', DiacriticalGrave: '`', lcub: '{', lbrace: '{', verbar: '|', vert: '|', VerticalLine: '|',
  rcub: '}', rbrace: '}',
};
const HTML_NAMES_WITHOUT_SEMICOLON = ['quot', 'QUOT', 'amp', 'AMP', 'lt', 'LT', 'gt', 'GT'];

/**
 * Escapes read together at most, and plain characters between two of them:
 * the regex engine keeps a backtracking entry per escape (a 30 MB run
 * overflowed its stack).
 */
const MAX_STRETCH = 1024;
const MAX_GAP = 16;

/**
 * Python's (and C's) 8-digit escape of a full-width form (U+FF00-U+FF5F: `\U0000ff53`, exactly 8
 * digits), read as its `\uFF53` is: NFKC reads the letter as its ASCII one (lookalike-secrets.ts),
 * and a secret written in them went out whole while only the `\u` and `\u{...}` forms were read.
 * After the backslash; escaped-secrets.ts' check of what may show a secret asks it too.
 */
export const LONG_FULL_WIDTH = 'U0000[fF]{2}[0-5][0-9a-fA-F]';

/**
 * JSON's escapes, and those of Python, JavaScript and C literals (a provider's repr of what it
 * was sent): `\'`, `\xNN` (a byte: UTF-8 where bytes in a row make a character, else Latin-1),
 * `\U000000NN` (byte-escapes.ts), `\U0000ffNN` (LONG_FULL_WIDTH), `\u{...}` and octal up to `\377`.
 */
const BACKSLASH_ESCAPE = String.raw`\\(?:${BYTE_ESCAPE_HEAD_SOURCE}[0-9a-fA-F]{2}|${LONG_FULL_WIDTH}|u[0-9a-fA-F]{4}|u\{[0-9a-fA-F]{1,6}\}|[0-3]?[0-7]{1,2}|["'\\/bfnrt])`;
/** A `\xNN` continuation byte of UTF-8. */
const CONTINUATION = String.raw`\\x[89abAB][0-9a-fA-F]`;
/**
 * One unit of a backslash stretch: `\xNN` escapes that make one UTF-8 sequence (Python's repr of
 * bytes: `\xc3\xa9` is "é"), else one escape. Stretches are made of these, so that none ends
 * inside a sequence, and a stretch is read and split for sourceSpans by the same units.
 */
const BACKSLASH_UNIT_SOURCE = `\\\\x[cdCD][0-9a-fA-F]${CONTINUATION}|\\\\x[eE][0-9a-fA-F](?:${CONTINUATION}){2}|\\\\x[fF][0-7](?:${CONTINUATION}){3}|${BACKSLASH_ESCAPE}`;
const BACKSLASH_UNIT = new RegExp(BACKSLASH_UNIT_SOURCE, 'g');
const PERCENT_ESCAPE = '%[0-9a-fA-F]{2}';

/**
 * A stretch of backslash escapes (read at once by JSON.parse when they are JSON's), a stretch
 * of %XX escapes (at once by decodeURIComponent), or one HTML character
 * reference: decimal or hex with any number of digits, ";" or not, or named.
 * A stretch is escapes of one kind with a few characters that start no
 * escape between them, read in one native call: an answer made of escapes
 * would otherwise cost a call per escape (30 MB of "%2541": 5 s).
 */
const ESCAPE = new RegExp(
  [
    `(?:${BACKSLASH_UNIT_SOURCE})(?:[^%\\\\&"\\x00-\\x1f]{0,${MAX_GAP}}(?:${BACKSLASH_UNIT_SOURCE})){0,${MAX_STRETCH}}`,
    `${PERCENT_ESCAPE}(?:[^%\\\\&]{0,${MAX_GAP}}${PERCENT_ESCAPE}){0,${MAX_STRETCH}}`,
    '&#(?:(\\d+)|[xX]([0-9a-fA-F]+));?',
    `&(?:(${Object.keys(HTML_NAMES).join('|')});|(${HTML_NAMES_WITHOUT_SEMICOLON.join('|')}))`,
  ].join('|'),
  'g',
);

/** Whether an escape starts at `lastIndex`. */
export const ESCAPE_HERE = new RegExp(ESCAPE.source, 'y');

/** `text` with each of its escapes read once; the same string when it holds none. */
export function readEscapes(text: string): string {
  // An exec loop, not replace() with a callback: half the cost per match.
  const parts: string[] = [];
  let copied = 0;
  ESCAPE.lastIndex = 0;
  for (let match = ESCAPE.exec(text); match !== null; match = ESCAPE.exec(text)) {
    const [escape, decimal, hex, named, bare] = match;
    parts.push(text.slice(copied, match.index), readMatch(escape, decimal, hex, named ?? bare));
    copied = ESCAPE.lastIndex;
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

function readMatch(escape: string, decimal: string | undefined, hex: string | undefined, name: string | undefined): string {
  if (escape.startsWith('\\')) return readBackslashStretch(escape);
  if (escape.startsWith('%')) return readPercentStretch(escape);
  return readReference(escape, decimal, hex, name);
}

/** An escape JSON has no like of that reads as no one JSON escape: an octal byte, braces, a byte past ASCII (maybe UTF-8). */
const UNLIKE_JSON = /\\(?:[0-7]|u\{|x[89a-fA-F])/;

/**
 * JSON's escapes in one native call, `\'`, ASCII `\xNN` and `\U000000NN` made JSON's first (a
 * backslash escaped as `\u005c` first, so that `\\x41` stays a backslash and "x41"); a stretch with
 * other escapes unit by unit, a call per unit (an answer made of them cost seconds per 30 MB
 * read so, where JSON.parse takes a tenth of that).
 */
function readBackslashStretch(stretch: string): string {
  if (UNLIKE_JSON.test(stretch)) return readBackslashUnits(stretch);
  const jsonLike = stretch.includes('\\x') || stretch.includes("\\'") || stretch.includes('\\U');
  return JSON.parse(`"${jsonLike ? stretch.replaceAll('\\\\', '\\u005c').replaceAll("\\'", "'").replace(LITERAL_BYTE_HEAD, '\\u00').replace(LONG_FULL_WIDTH_HEAD, '\\u') : stretch}"`) as string;
}

/**
 * A byte escape's head JSON has no like of (`\x`, `\U000000`), to be written as JSON's `\u00`;
 * and a full-width one's (`\U0000`, LONG_FULL_WIDTH: four hex digits follow), as JSON's `\u`.
 */
const LITERAL_BYTE_HEAD = new RegExp(`\\\\(?:${LITERAL_BYTE_HEADS.join('|')})`, 'g');
const LONG_FULL_WIDTH_HEAD = /\\U0000(?=[fF])/g;

/**
 * Bytes that are not UTF-8 stay as they are written, as decodeURIComponent refuses them. A
 * stretch it refuses is read escape by escape here, without a string or object per escape: a
 * hostile answer of such runs (`%E2%80` again and again) is all of them.
 */
function readPercentStretch(stretch: string): string {
  // One ASCII byte by hand: a call to decodeURIComponent costs about a microsecond.
  const lead = parseInt(stretch.slice(1, 3), 16);
  if (stretch.length === 3 && lead < 0x80) return String.fromCharCode(lead);
  const decoded = decodedOrNull(stretch);
  if (decoded !== null) return decoded;
  let read = '';
  let copied = 0;
  for (let at = stretch.indexOf('%'); at !== -1; at = stretch.indexOf('%', at)) {
    const codePoint = percentCodePointAt(stretch, at);
    if (codePoint < 0) {
      at += 3;
      continue;
    }
    read += stretch.slice(copied, at) + String.fromCodePoint(codePoint);
    at += 3 * utf8Length(parseInt(stretch.slice(at + 1, at + 3), 16));
    copied = at;
  }
  return copied === 0 ? stretch : read + stretch.slice(copied);
}

function readReference(escape: string, decimal: string | undefined, hex: string | undefined, name: string | undefined): string {
  if (name !== undefined) return HTML_NAMES[name] as string;
  const codePoint = decimal !== undefined ? parseInt(decimal, 10) : parseInt(hex as string, 16);
  // Past Unicode, a browser reads U+FFFD: no character of a secret.
  return codePoint > 0x10ffff ? escape : String.fromCodePoint(codePoint);
}

/** The escapes of `text` one by one, in order: a stretch is split into the escapes it holds. */
function* unitsOf(text: string): Generator<ReadUnit> {
  for (const match of text.matchAll(ESCAPE)) {
    const [escape, decimal, hex, named, bare] = match;
    const at = match.index;
    if (escape.startsWith('\\')) yield* backslashUnits(escape, at);
    else if (escape.startsWith('%')) yield* percentUnits(escape, at);
    else yield { at, end: at + escape.length, read: readReference(escape, decimal, hex, named ?? bare) };
  }
}

const SINGLE_LETTER_ESCAPES: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
/** A stretch read unit by unit: one native replace, a call per unit. */
const readBackslashUnits = (stretch: string): string => stretch.replace(BACKSLASH_UNIT, readBackslashUnit);

function* backslashUnits(stretch: string, at: number): Generator<ReadUnit> {
  // A surrogate pair is two units, each reading as its half: together the same string JSON.parse makes of the pair.
  for (const match of stretch.matchAll(BACKSLASH_UNIT)) yield { at: at + match.index, end: at + match.index + match[0].length, read: readBackslashUnit(match[0]) };
}

/** A UTF-8 sequence of `\xNN` as its character (each byte as Latin-1 where it is no UTF-8), else one escape. */
function readBackslashUnit(unit: string): string {
  if (unit.length <= 4 || unit[1] !== 'x') return readBackslash(unit);
  return decodedOrNull(unit.replaceAll('\\x', '%')) ?? unit.replace(/\\x([0-9a-fA-F]{2})/g, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** What one backslash escape stands for; a `\u{...}` past Unicode stands for nothing and stays as written. */
function readBackslash(escape: string): string {
  const kind = escape[1] as string;
  if (kind === 'u' && escape[2] === '{') {
    const codePoint = parseInt(escape.slice(3, -1), 16);
    return codePoint > 0x10ffff ? escape : String.fromCodePoint(codePoint);
  }
  if (kind === 'u' || kind === 'x' || kind === 'U') return String.fromCharCode(parseInt(escape.slice(2), 16));
  if (kind >= '0' && kind <= '7') return String.fromCharCode(parseInt(escape.slice(1), 8));
  return SINGLE_LETTER_ESCAPES[kind] ?? kind;
}

/** The %XX escapes of a stretch as UTF-8 sequences, one unit each; a byte that starts none stays as it is written. */
function* percentUnits(stretch: string, at: number): Generator<ReadUnit> {
  for (let offset = 0; offset !== -1; offset = stretch.indexOf('%', offset)) {
    const sequence = stretch.slice(offset, offset + 3 * utf8Length(parseInt(stretch.slice(offset + 1, offset + 3), 16)));
    const read = decodedOrNull(sequence);
    const escape = read === null ? stretch.slice(offset, offset + 3) : sequence;
    yield { at: at + offset, end: at + offset + escape.length, read: read ?? escape };
    offset += escape.length;
  }
}

/** `sequence` as decodeURIComponent reads it, or null where it would throw (asked first: a throw is what costs). */
function decodedOrNull(sequence: string): string | null {
  return decodesAsUtf8(sequence) ? decodeURIComponent(sequence) : null;
}


/**
 * Where `spans` of `readEscapes(source)` (in order and apart) come from in
 * `source`. An escape a span begins or ends inside goes whole: what is left of
 * `\u0026` or `%e2` beside a hole would be no escape at all.
 */
export function sourceSpans(source: string, spans: readonly Span[]): Span[] {
  const units = unitsOf(source);
  let unit = units.next();
  // Source index minus read index, over the units passed so far.
  let shift = 0;
  /** The escape whose reading holds `index`, if any, past the escapes before it. */
  const escapeAt = (index: number): ReadUnit | null => {
    while (!unit.done && unit.value.at - shift + unit.value.read.length <= index) {
      shift += unit.value.end - unit.value.at - unit.value.read.length;
      unit = units.next();
    }
    return !unit.done && unit.value.at - shift <= index ? unit.value : null;
  };
  return spans.map(([start, end]): Span => {
    const first = escapeAt(start);
    const from = first ? first.at : start + shift;
    const last = escapeAt(end - 1);
    return [from, last ? last.end : end + shift];
  });
}
