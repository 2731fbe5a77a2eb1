import type { Span } from './escape-reading.js';

/**
 * A piece of a secret this long is as good as the secret to whoever reads it: a provider
 * quoting half a password in one field and half in another (a mapper joins them), or with a
 * space, newline or quote put inside it, gives away pieces no whole form of it matches.
 */
export const MIN_PIECE_LENGTH = 8;

/**
 * Characters a provider may put inside a secret it quotes (a line wrapped, a value quoted in
 * halves, a form body's "+" for a space), as they stand or escaped (JSON's `\n`, `\'`; a URL's
 * `%20`, `%0A`, `%22`): passed over, on both sides, when pieces are compared. Not `"` nor `\"`:
 * in a JSON answer, and a JSON document inside one of its strings, they end strings, and a piece
 * matched across one took the structure between two fields with it (the answer then failed to
 * parse, its error's words were lost).
 */
const PLAIN = 1;
const BACKSLASH = 2;
const PERCENT = 3;
const CODE_KINDS = new Uint8Array(128);
for (const char of ' \t\n\r\f\v\'`+') CODE_KINDS[char.charCodeAt(0)] = PLAIN;
CODE_KINDS[0x5c] = BACKSLASH;
CODE_KINDS[0x25] = PERCENT;
/** What follows a backslash in an escape of whitespace or a quote. */
const BACKSLASH_ESCAPED = new Set(['n', 'r', 't', 'f', 'v', "'"].map((char) => char.charCodeAt(0)));
/** The %XX escapes of whitespace and quotes (upper case; the second digit is folded before the lookup). */
const PERCENT_ESCAPED = new Set(['09', '0A', '0B', '0C', '0D', '20', '22', '27', '60', '2B']);

/** How many UTF-16 units at `at` of `text` are passed over: 0 when the character there counts. */
function passedOver(text: string, at: number): number {
  const code = text.charCodeAt(at);
  if (code >= 128) return 0;
  const kind = CODE_KINDS[code];
  if (kind === PLAIN) return 1;
  if (kind === BACKSLASH) return BACKSLASH_ESCAPED.has(text.charCodeAt(at + 1)) ? 2 : 0;
  if (kind === PERCENT) return PERCENT_ESCAPED.has(text.slice(at + 1, at + 3).toUpperCase()) ? 3 : 0;
  return 0;
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
/** Each UTF-16 code's byteOf(folded(code)), and its CODE_KINDS (0 past ASCII): one array read each in `find`'s loop. */
const GRAM_BYTES = new Uint8Array(0x10000);
const MAY_PASS_OVER = new Uint8Array(0x10000);
for (let code = 0; code < 0x10000; code++) {
  GRAM_BYTES[code] = byteOf(folded(code));
  MAY_PASS_OVER[code] = code < 128 ? (CODE_KINDS[code] as number) : 0;
}

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
 * over every character costs what the forms' native searches do not: some 5 ns a character,
 * 150-200 ms over a 32 MiB answer.
 */
export class SecretPieceSearch {
  private readonly windows = new Set<string>();
  private readonly filter = new Uint8Array(1 << (FILTER_BITS - 3));

  constructor(secrets: Iterable<string>) {
    for (const secret of secrets) {
      // Per UTF-16 unit, as `find` reads a text.
      const raw: number[] = [];
      for (let at = 0; at < secret.length; ) {
        const skip = passedOver(secret, at);
        if (skip === 0) raw.push(secret.charCodeAt(at));
        at += skip === 0 ? 1 : skip;
      }
      const codes = raw.map(folded);
      for (let start = 0; start + MIN_PIECE_LENGTH <= codes.length; start++) {
        if (raw.slice(start, start + MIN_PIECE_LENGTH).every(isWordCode)) continue;
        const window = codes.slice(start, start + MIN_PIECE_LENGTH);
        this.windows.add(String.fromCharCode(...window));
        for (let gramStart = 0; gramStart + GRAM <= MIN_PIECE_LENGTH; gramStart++) {
          const gram = window.slice(gramStart, gramStart + GRAM).reduce((packed, code) => ((packed << 8) | byteOf(code)) >>> 0, 0);
          const slot = filterSlot(gram);
          this.filter[slot >>> 3]! |= 1 << (slot & 7);
        }
      }
    }
  }

  /** The parts of `text` holding a piece: in order, apart, each from a piece's first character to its last. */
  find(text: string): Span[] {
    if (this.windows.size === 0) return [];
    // Raw places of the last 16 counted characters: where a sampled gram's windows may start.
    const places = new Int32Array(16);
    const found: Span[] = [];
    let counted = 0;
    let gram = 0;
    for (let at = 0; at < text.length; at++) {
      const raw = text.charCodeAt(at);
      const kind = MAY_PASS_OVER[raw] as number;
      if (kind === PLAIN) continue;
      if (kind !== 0) {
        const skip = passedOver(text, at);
        if (skip !== 0) {
          at += skip - 1;
          continue;
        }
      }
      places[counted & 15] = at;
      gram = (gram << 8) | (GRAM_BYTES[raw] as number);
      counted++;
      if ((counted & (GRAM - 1)) !== 0) continue;
      const slot = filterSlot(gram >>> 0);
      if (((this.filter[slot >>> 3] as number) & (1 << (slot & 7))) === 0) continue;
      // A window holding this gram starts at most GRAM counted characters before it.
      const from = places[(counted - Math.min(counted, GRAM + GRAM)) & 15] as number;
      this.windowsFrom(text, from, GRAM + MIN_PIECE_LENGTH, found);
    }
    return merged(found);
  }

  /** The secrets' windows starting at any of the first `starts` counted characters from `from`, pushed to `found`. */
  private windowsFrom(text: string, from: number, starts: number, found: Span[]): void {
    const codes: number[] = [];
    const places: number[] = [];
    for (let at = from; at < text.length && codes.length < starts + MIN_PIECE_LENGTH - 1; ) {
      const skip = passedOver(text, at);
      if (skip === 0) {
        codes.push(folded(text.charCodeAt(at)));
        places.push(at);
      }
      at += skip === 0 ? 1 : skip;
    }
    for (let start = 0; start + MIN_PIECE_LENGTH <= codes.length; start++) {
      if (this.windows.has(String.fromCharCode(...codes.slice(start, start + MIN_PIECE_LENGTH)))) found.push([places[start] as number, (places[start + MIN_PIECE_LENGTH - 1] as number) + 1]);
    }
  }
}

/** `spans` in order, overlapping ones made one. */
function merged(spans: Span[]): Span[] {
  const out: Span[] = [];
  for (const [start, end] of spans.sort((a, b) => a[0] - b[0])) {
    const last = out.at(-1);
    if (last && start < last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}
