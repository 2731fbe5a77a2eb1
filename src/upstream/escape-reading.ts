/**
 * A text read once through its escapes: each JSON string escape, %XX escape
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

const JSON_ESCAPE = String.raw`\\(?:u[0-9a-fA-F]{4}|["\\/bfnrt])`;
const PERCENT_ESCAPE = '%[0-9a-fA-F]{2}';

/**
 * A stretch of JSON string escapes (read at once by JSON.parse), a stretch
 * of %XX escapes (at once by decodeURIComponent), or one HTML character
 * reference: decimal or hex with any number of digits, ";" or not, or named.
 * A stretch is escapes of one kind with a few characters that start no
 * escape between them, read in one native call: an answer made of escapes
 * would otherwise cost a call per escape (30 MB of "%2541": 5 s).
 */
const ESCAPE = new RegExp(
  [
    `${JSON_ESCAPE}(?:[^%\\\\&"\\x00-\\x1f]{0,${MAX_GAP}}${JSON_ESCAPE}){0,${MAX_STRETCH}}`,
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
  if (escape.startsWith('\\')) return JSON.parse(`"${escape}"`) as string;
  if (escape.startsWith('%')) return readPercentStretch(escape);
  return readReference(escape, decimal, hex, name);
}

/** Bytes that are not UTF-8 stay as they are written, as decodeURIComponent refuses them. */
function readPercentStretch(stretch: string): string {
  // One ASCII byte by hand: a call to decodeURIComponent costs about a microsecond.
  const lead = parseInt(stretch.slice(1, 3), 16);
  if (stretch.length === 3 && lead < 0x80) return String.fromCharCode(lead);
  const decoded = decodedOrNull(stretch);
  if (decoded !== null) return decoded;
  let read = '';
  let copied = 0;
  for (const unit of percentUnits(stretch, 0)) {
    read += stretch.slice(copied, unit.at) + unit.read;
    copied = unit.end;
  }
  return read + stretch.slice(copied);
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
    if (escape.startsWith('\\')) yield* jsonUnits(escape, at);
    else if (escape.startsWith('%')) yield* percentUnits(escape, at);
    else yield { at, end: at + escape.length, read: readReference(escape, decimal, hex, named ?? bare) };
  }
}

function* jsonUnits(stretch: string, at: number): Generator<ReadUnit> {
  // A surrogate pair is two units, each reading as its half: together the same string JSON.parse makes of the pair.
  for (let offset = 0; offset !== -1; offset = stretch.indexOf('\\', offset)) {
    const length = stretch[offset + 1] === 'u' ? 6 : 2;
    yield { at: at + offset, end: at + offset + length, read: JSON.parse(`"${stretch.slice(offset, offset + length)}"`) as string };
    offset += length;
  }
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

function decodedOrNull(sequence: string): string | null {
  try {
    return decodeURIComponent(sequence);
  } catch {
    return null;
  }
}

/** How many bytes a UTF-8 sequence starting with `lead` has (1 for a byte that starts none). */
const utf8Length = (lead: number): number => (lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1);

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
