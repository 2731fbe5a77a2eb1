import { paddingEnd } from './base64-padding.js';
import type { Span } from './escape-reading.js';
import { type JoinersRead, readEscapedJoiners } from './escaped-joiners.js';

const STANDARD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The secret's full base64 characters a span's end must read as before its edge character is taken: one in 64^4 of other text does. */
const NEAR = 4;

/**
 * The character at one end of a secret's base64 that holds bits of the secret and bits of what
 * is around it (the text before or after it, or the padding's zeros): which characters it can be
 * (`allowed`, by char code), told by the NEAR full characters beside it (`near`, in text order;
 * `beside`, the one touching it), and how many "=" may follow it where the encoded text ends there.
 */
interface Edge {
  beside: number;
  near: string;
  allowed: ReadonlySet<number>;
  pads: number;
}

/**
 * Where a secret's base64 (at any of the three alignments, once or twice encoded, either alphabet)
 * was found, the characters at its ends that also hold bits of what is around it: the forms and the
 * piece search take only the characters the secret alone decides, so a quoted header cut by joiners
 * came out `[redacted]E=`, 4 bits of the pair's last character and its length mod 3 beside the
 * redaction, and a pair at another alignment kept a character holding 2 bits of its first.
 * `widened` takes such a character with a span that ends (or starts) beside it, and the padding
 * after a last one however it is written (paddingEnd). Asked only of a span whose own end
 * character is the form's: at most one more character of other text goes where it is both that
 * and one of the characters the secret's bits allow.
 */
export class Base64Edges {
  private readonly heads = new Map<number, Edge[]>();
  private readonly tails = new Map<number, Edge[]>();

  /** `sources`: the bytes each secret goes out base64-encoded as (the secret, its base64 encoded again). */
  constructor(sources: Iterable<Buffer>) {
    for (const bytes of sources) {
      for (const offset of [0, 1, 2]) {
        for (const alphabet of [STANDARD, URL_SAFE]) {
          const head = headEdge(bytes, offset, alphabet);
          if (head !== null) addEdge(this.heads, head);
          const tail = tailEdge(bytes, offset, alphabet);
          if (tail !== null) addEdge(this.tails, tail);
        }
      }
    }
  }

  get isEmpty(): boolean {
    return this.heads.size === 0 && this.tails.size === 0;
  }

  /**
   * `spans` (in order, apart) of `text`, each with the edge characters of a secret's base64 beside
   * it taken too. A span's end is read as the piece search reads it (escapes of joiners and the
   * joiners themselves passed over: `Uc\u002dF` is `UcF`) and must end in the NEAR characters the
   * edge stands beside; spans merely touching stay two.
   */
  widened(text: string, spans: readonly Span[]): Span[] {
    if (this.isEmpty || spans.length === 0) return [...spans];
    let read: JoinersRead | null | undefined;
    const reading = (): JoinersRead | null => (read === undefined ? (read = readEscapedJoiners(text)) : read);
    const out: Span[] = [];
    for (const [start, end] of spans) {
      const last = out.at(-1);
      let from = start;
      if (start - 1 >= (last?.[1] ?? 0) && edgeOf(this.heads.get(text.charCodeAt(start)), text.charCodeAt(start - 1), (near) => readAfter(text, start, end, reading(), near)) !== null) from = start - 1;
      let to = end;
      const tail = edgeOf(this.tails.get(text.charCodeAt(end - 1)), text.charCodeAt(end), (near) => readBefore(text, start, end, reading(), near));
      if (tail !== null) to = paddingEnd(text, end + 1, tail.pads);
      if (last !== undefined && from < last[1]) last[1] = Math.max(last[1], to);
      else out.push([from, to]);
    }
    return out;
  }
}

const isAlphanumeric = (code: number): boolean => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

/**
 * The last NEAR letters and digits of `text` in [start, end), each escape read as its character
 * and whatever is no letter or digit passed over, as the piece search does between a secret's
 * pieces, but for the punctuation `near` holds ("+", "/", "-", "_": base64's own), read as it stands.
 */
function readBefore(text: string, start: number, end: number, read: JoinersRead | null, near: string): string {
  const escapes = read?.escapes;
  let index = escapes === undefined ? -1 : lastEscapeBefore(escapes.end, end);
  let found = '';
  for (let at = end - 1; at >= start && found.length < NEAR; at--) {
    if (escapes !== undefined && index >= 0 && (escapes.end[index] as number) - 1 === at) {
      const code = escapes.code[index] as number;
      if (isAlphanumeric(code) || near.includes(String.fromCharCode(code))) found = String.fromCharCode(code) + found;
      at = escapes.at[index] as number;
      index--;
      continue;
    }
    const escaped = whitespaceEscapeEndingAt(text, at, start);
    if (escaped > 0) {
      at -= escaped - 1;
      continue;
    }
    const code = text.charCodeAt(at);
    if (isAlphanumeric(code) || near.includes(text[at] as string)) found = text[at] + found;
  }
  return found;
}

/** The first NEAR letters and digits of `text` in [start, end), read as readBefore reads. */
function readAfter(text: string, start: number, end: number, read: JoinersRead | null, near: string): string {
  const escapes = read?.escapes;
  let index = escapes === undefined ? -1 : firstEscapeFrom(escapes.at, start);
  let found = '';
  for (let at = start; at < end && found.length < NEAR; at++) {
    if (escapes !== undefined && index >= 0 && index < escapes.at.length && escapes.at[index] === at) {
      const code = escapes.code[index] as number;
      if (isAlphanumeric(code) || near.includes(String.fromCharCode(code))) found += String.fromCharCode(code);
      at = (escapes.end[index] as number) - 1;
      index++;
      continue;
    }
    const escaped = whitespaceEscapeAt(text, at, end);
    if (escaped > 0) {
      at += escaped - 1;
      continue;
    }
    const code = text.charCodeAt(at);
    if (isAlphanumeric(code) || near.includes(text[at] as string)) found += text[at] as string;
  }
  return found;
}

/**
 * Whitespace written as an escape the piece search passes over between a secret's pieces but
 * readEscapedJoiners does not read (a backslash's `\n`, `\r`, `\t`, `\f`, `\v`; a URL's `%09` to `%0D`,
 * `%20`): its letters and digits are no base64 of the secret. Read as they stood, a header's
 * base64 cut by them read `...\nEb` as "nEb", so the edge character beside the redaction stayed
 * (`mNvbTp[redacted]E=`: bits of the password's first and last characters, its length mod 3).
 * No base64 holds a backslash or a percent sign, so neither starts a character of it.
 */
const BACKSLASH = 92;
const PERCENT = 37;

/** `n`, `r`, `t`, `f` or `v` after a backslash (JSON's and C's whitespace escapes; a form feed or vertical tab cut the header as a newline does). */
const isBackslashWhitespace = (code: number): boolean => code === 110 || code === 114 || code === 116 || code === 102 || code === 118;

/** The two hex digits after a percent sign that are `%09` to `%0D` (tab, newline, vertical tab, form feed, carriage return) or `%20`. */
function isPercentWhitespace(first: number, second: number): boolean {
  if (first === 50) return second === 48;
  if (first !== 48) return false;
  const lower = second | 0x20;
  return second === 57 || (lower >= 97 && lower <= 100);
}

/** The length of such an escape starting at `at` (within `end`), else 0. */
function whitespaceEscapeAt(text: string, at: number, end: number): number {
  const code = text.charCodeAt(at);
  if (code === BACKSLASH && at + 2 <= end && isBackslashWhitespace(text.charCodeAt(at + 1))) return 2;
  if (code === PERCENT && at + 3 <= end && isPercentWhitespace(text.charCodeAt(at + 1), text.charCodeAt(at + 2))) return 3;
  return 0;
}

/** The length of such an escape ending at `at` (its last character; from `start` on), else 0. */
function whitespaceEscapeEndingAt(text: string, at: number, start: number): number {
  if (at - 1 >= start && text.charCodeAt(at - 1) === BACKSLASH && isBackslashWhitespace(text.charCodeAt(at))) return 2;
  if (at - 2 >= start && text.charCodeAt(at - 2) === PERCENT && isPercentWhitespace(text.charCodeAt(at - 1), text.charCodeAt(at))) return 3;
  return 0;
}

/**
 * The index of the last escape ending at or before `end` (-1: none). By halves: the escapes are in
 * order, and a walk from the last, asked at every span, cost a hostile answer of a secret's pieces
 * among escapes the product of the two counts (3.2 MB: 7.5 s where the scrub took 1.2 s).
 */
export function lastEscapeBefore(ends: readonly number[], end: number): number {
  let low = 0;
  let high = ends.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((ends[middle] as number) <= end) low = middle + 1;
    else high = middle;
  }
  return low - 1;
}

/** The index of the first escape starting at or after `start` (the count: none), by halves as lastEscapeBefore. */
export function firstEscapeFrom(starts: readonly number[], start: number): number {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((starts[middle] as number) < start) low = middle + 1;
    else high = middle;
  }
  return low;
}

function addEdge(edges: Map<number, Edge[]>, edge: Edge): void {
  const held = edges.get(edge.beside);
  if (held === undefined) edges.set(edge.beside, [edge]);
  else held.push(edge);
}

/** Of `edges`, the one `code` can be whose `near` the span reads as (`reads(near)`, asked only where `code` fits one). */
function edgeOf(edges: readonly Edge[] | undefined, code: number, reads: (near: string) => string): Edge | null {
  if (edges === undefined) return null;
  for (const edge of edges) if (edge.allowed.has(code) && reads(edge.near) === edge.near) return edge;
  return null;
}

/** `bytes` base64-encoded after `offset` zero bytes, in `alphabet`, with no padding. */
function encodedAfter(bytes: Buffer, offset: number, alphabet: string): string {
  const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64').replace(/=+$/, '');
  return alphabet === STANDARD ? encoded : encoded.replaceAll('+', '-').replaceAll('/', '_');
}

/** The character before the secret's first full one when `offset` bytes come before it: its low bits are the secret's. */
function headEdge(bytes: Buffer, offset: number, alphabet: string): Edge | null {
  const bitsBefore = (offset * 8) % 6;
  if (bitsBefore === 0 || bytes.length === 0) return null;
  const encoded = encodedAfter(bytes, offset, alphabet);
  const at = Math.floor((offset * 8) / 6);
  const mask = (1 << (6 - bitsBefore)) - 1;
  const own = alphabet.indexOf(encoded[at] as string) & mask;
  return { beside: encoded.charCodeAt(at + 1), near: encoded.slice(at + 1, at + 1 + NEAR), allowed: charsWhere(alphabet, (value) => (value & mask) === own), pads: 0 };
}

/** The character after the secret's last full one when `offset` bytes come before it: its high bits are the secret's, the rest what follows (or the padding's zeros). */
function tailEdge(bytes: Buffer, offset: number, alphabet: string): Edge | null {
  const bits = (offset + bytes.length) * 8;
  const ownBits = bits % 6;
  if (ownBits === 0) return null;
  const encoded = encodedAfter(bytes, offset, alphabet);
  const at = Math.floor(bits / 6);
  const shift = 6 - ownBits;
  const own = alphabet.indexOf(encoded[at] as string) >> shift;
  return { beside: encoded.charCodeAt(at - 1), near: encoded.slice(at - NEAR, at), allowed: charsWhere(alphabet, (value) => value >> shift === own), pads: (3 - ((offset + bytes.length) % 3)) % 3 };
}

function charsWhere(alphabet: string, holds: (value: number) => boolean): Set<number> {
  const chars = new Set<number>();
  for (let value = 0; value < 64; value++) if (holds(value)) chars.add(alphabet.charCodeAt(value));
  return chars;
}
