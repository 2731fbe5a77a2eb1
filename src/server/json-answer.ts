/**
 * Apollo's answer as UTF-8 bytes, byte for byte what `JSON.stringify(value) +
 * '\n'` (Apollo's `prettyJSONStringify`) encodes to, made without the whole
 * text ever being one flat string.
 *
 * Why: V8's `JSON.stringify` returns a tree of parts (a cons string), and
 * anything that reads it from C++ (`Buffer.from`, `Buffer.byteLength`, a
 * socket write) first flattens it into one string. A string over 128 KB is a
 * large object: V8 maps fresh pages for it, the kernel faults them in, and
 * the next scavenge unmaps them. For the bench's 259 KB dashboard that cost
 * ~1 ms of CPU per answer, two thirds of it system time, where the UTF-8
 * copy itself takes 0.1 ms. Written here as pieces: the containers above
 * SPLIT_DEPTH key by key, and each array's items in runs of about RUN_CHARS
 * characters, one `JSON.stringify` per run, each run flattened in the young
 * generation's pages, which V8 reuses, and encoded straight into the answer's
 * Buffer. One call per item (the form before) started a string builder per
 * item and copied the pieces again into larger groups: 0.9-1.1 against
 * 0.7-0.8 ms for the bench's answer in the gateway's own process. Runs of 32 K
 * characters or more cost system time again (0.1-0.4 ms an answer, measured
 * there), so runs stay at 16 K. A
 * single item over 128 KB (an edge with thousands of backups) is still
 * flattened as a large object, as every answer was before.
 */

/** Objects at this many levels (the answer, `data`, a field, a connection's field) are written key by key, deeper ones by one `JSON.stringify` each; arrays among them in runs. */
const SPLIT_DEPTH = 4;
/** A run's flat copy stays an ordinary young object (unless one item is large); 32 K and over measured system time again. */
const RUN_CHARS = 16 * 1024;

export function jsonAnswerBytes(value: unknown): Buffer {
  return jsonAnswerPieces(value).bytes();
}

function jsonAnswerPieces(value: unknown): TextPieces {
  const pieces = new TextPieces();
  writeValue(value, SPLIT_DEPTH, pieces);
  pieces.add('\n');
  return pieces;
}

/** The answer as a string that carries its bytes: its text is a tree of the pieces, never flattened unless something reads it. */
export class JsonAnswerText extends String {
  constructor(
    text: string,
    readonly bytes: Buffer,
  ) {
    super(text);
  }
}

/** Apollo's `stringifyResult`: its text carries its bytes to the express integration (`apollo-express.ts`). */
export function stringifyAnswer(value: unknown): string {
  const pieces = jsonAnswerPieces(value);
  const bytes = pieces.bytes();
  // Apollo hands what this returns to the integration untouched; a String object reads as the
  // same text wherever a string is read, and the integration sends its bytes instead.
  return new JsonAnswerText(pieces.text(), bytes) as unknown as string;
}

/**
 * The answer's text as a few large pieces (runs of an array's items, each flattened once when it
 * was cut out of its brackets) with the small ones between them joined. Each piece is encoded
 * straight into the answer's Buffer: no piece is copied into a larger string first.
 */
class TextPieces {
  private readonly done: string[] = [];
  private small = '';

  add(text: string): void {
    this.small += text;
  }

  addLarge(text: string): void {
    if (this.small !== '') this.done.push(this.small);
    this.small = '';
    this.done.push(text);
  }

  private close(): void {
    if (this.small === '') return;
    this.done.push(this.small);
    this.small = '';
  }

  /** The pieces joined by `+`: a cons string, no copy. */
  text(): string {
    this.close();
    let text = '';
    for (const piece of this.done) text += piece;
    return text;
  }

  /**
   * One pass over the text when every character is one byte, as an answer in ASCII is: each piece
   * is written into room for that many bytes, with no `Buffer.byteLength` scan before it (a
   * warm dashboard's 259 KB took 0.4 M instructions to measure, callgrind). A character outside
   * ASCII takes more room than it was given, and from its piece on the rest is measured first.
   */
  bytes(): Buffer {
    this.close();
    let chars = 0;
    for (const piece of this.done) chars += piece.length;
    const bytes = Buffer.allocUnsafe(chars + LONGEST_UTF8_CHARACTER);
    let offset = 0;
    for (let index = 0; index < this.done.length; index++) {
      const written = bytes.write(this.done[index] as string, offset, 'utf8');
      // A write stops short only before a character it has no room for, so with room for the
      // longest one left the piece went in whole.
      if (bytes.length - offset - written < LONGEST_UTF8_CHARACTER) return this.measuredBytes(bytes, offset, index);
      offset += written;
    }
    return bytes.subarray(0, offset);
  }

  /** The first `offset` bytes written already, then the pieces from `from` on, each measured first. */
  private measuredBytes(start: Buffer, offset: number, from: number): Buffer {
    let total = offset;
    for (let index = from; index < this.done.length; index++) total += Buffer.byteLength(this.done[index] as string, 'utf8');
    const bytes = Buffer.allocUnsafe(total);
    start.copy(bytes, 0, 0, offset);
    for (let index = from; index < this.done.length; index++) offset += bytes.write(this.done[index] as string, offset, 'utf8');
    return bytes;
  }
}

/** UTF-8's longest character (a surrogate pair's): a write with this much room left was not cut short. */
const LONGEST_UTF8_CHARACTER = 4;

/** What `JSON.stringify` leaves out of an object and writes as `null` in an array. */
function unwritable(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/** Containers whose text `JSON.stringify` makes from their own keys alone: no `toJSON`, no class of their own. */
function plainContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== Array.prototype && prototype !== null) return false;
  return typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/**
 * A plain container whose items are all plain containers or not objects: one with a `toJSON`
 * or a class instance among its items is left to `JSON.stringify` whole, which hands each
 * `toJSON` its key.
 */
function splittable(value: unknown): value is Record<string, unknown> | unknown[] {
  if (!plainContainer(value)) return false;
  const items: unknown[] = Array.isArray(value) ? value : Object.values(value);
  // A BigInt item too: a run of a slice would hand a BigInt.prototype.toJSON its index in the slice.
  return items.every((item) => item === null || (typeof item !== 'object' && typeof item !== 'bigint') || plainContainer(item));
}

/**
 * An array's items in runs of about RUN_CHARS characters, each run one `JSON.stringify` of its
 * slice with the brackets cut off: one call per run instead of one per item (each call starts a
 * string builder of its own), and the cut flattens the run once, which its encoding reuses. The
 * run's length follows the characters per item written so far.
 */
function writeRuns(items: readonly unknown[], out: TextPieces): void {
  out.add('[');
  let chars = 0;
  let run = 1;
  for (let start = 0; start < items.length; start += run) {
    if (start > 0) {
      out.add(',');
      run = Math.max(1, Math.floor((RUN_CHARS * start) / Math.max(chars, 1)));
    }
    const text = JSON.stringify(items.slice(start, start + run));
    chars += text.length;
    out.addLarge(text.slice(1, -1));
  }
  out.add(']');
}

function writeValue(value: unknown, depth: number, out: TextPieces): void {
  if (!splittable(value)) {
    out.addLarge(JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    writeRuns(value, out);
    return;
  }
  if (depth === 0) {
    out.addLarge(JSON.stringify(value));
    return;
  }
  out.add('{');
  let first = true;
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (unwritable(item)) continue;
    if (!first) out.add(',');
    first = false;
    out.add(JSON.stringify(key));
    out.add(':');
    writeValue(item, depth - 1, out);
  }
  out.add('}');
}
