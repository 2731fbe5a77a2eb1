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
 * copy itself takes 0.1 ms. Written here in groups closed once they reach
 * GROUP_CHARS characters, each flattened in the young generation's pages,
 * which V8 reuses. A group is at most that and one piece more: a single
 * piece over 128 KB (an edge with thousands of backups) is still flattened
 * as a large object, as every answer was before.
 */

/** Containers this deep and below are written by one `JSON.stringify` each: `data`, a field, a connection, its `edges`, one edge. */
const SPLIT_DEPTH = 5;
/** Well under V8's largest regular object (128 KB), so a group's flat copy is an ordinary young object unless one piece in it is large. */
const GROUP_CHARS = 32 * 1024;

export function jsonAnswerBytes(value: unknown): Buffer {
  return jsonAnswerGroups(value).bytes();
}

function jsonAnswerGroups(value: unknown): TextGroups {
  const groups = new TextGroups();
  writeValue(value, SPLIT_DEPTH, groups);
  groups.add('\n');
  return groups;
}

/** The answer as a string that carries its bytes: its text is a tree of the groups, never flattened unless something reads it. */
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
  const groups = jsonAnswerGroups(value);
  const bytes = groups.bytes();
  // Apollo hands what this returns to the integration untouched; a String object reads as the
  // same text wherever a string is read, and the integration sends its bytes instead.
  return new JsonAnswerText(groups.text(), bytes) as unknown as string;
}

class TextGroups {
  private readonly done: string[] = [];
  private group = '';

  add(text: string): void {
    this.group += text;
    if (this.group.length >= GROUP_CHARS) {
      this.done.push(this.group);
      this.group = '';
    }
  }

  private close(): void {
    if (this.group === '') return;
    this.done.push(this.group);
    this.group = '';
  }

  /** The groups joined by `+`: a cons string, no copy. */
  text(): string {
    this.close();
    let text = '';
    for (const group of this.done) text += group;
    return text;
  }

  bytes(): Buffer {
    this.close();
    let total = 0;
    for (const group of this.done) total += Buffer.byteLength(group, 'utf8');
    const bytes = Buffer.allocUnsafe(total);
    let offset = 0;
    for (const group of this.done) offset += bytes.write(group, offset, 'utf8');
    return bytes;
  }
}

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
  return items.every((item) => item === null || typeof item !== 'object' || plainContainer(item));
}

function writeValue(value: unknown, depth: number, out: TextGroups): void {
  if (depth === 0 || !splittable(value)) {
    out.add(JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    out.add('[');
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out.add(',');
      const item: unknown = value[index];
      if (unwritable(item)) out.add('null');
      else writeValue(item, depth - 1, out);
    }
    out.add(']');
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
