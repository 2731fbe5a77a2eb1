import { nextTurn } from '../domain/turns.js';

/**
 * JSON.parse of a large answer, with turns of the event loop between pieces.
 *
 * JSON.parse cannot be cut into turns: 25 MB of rows held the loop (every client, the health
 * checks) for 0.2-0.8 s, and an answer of two million `{}` (within MAX_JSON_CONTAINERS) for
 * longer. Here a scan that only follows strings and brackets finds where the containers being
 * read may be cut (after an element, at a comma), and each run of whole elements, at most
 * `PieceLimits` long, is read by JSON.parse itself and added to its container. Every number,
 * string, escape and key is so read by JSON.parse, as the whole would be: only the joining is
 * ours, which keeps duplicate keys' last value and sets `__proto__` as a plain key, as JSON.parse
 * does. Malformed text throws a SyntaxError, as JSON.parse would (the message may differ).
 *
 * A general streaming parser (@streamparser/json) builds every value in JavaScript: 0.96 s for
 * 34 MB of rows where JSON.parse takes 0.21 s and this 0.3 s.
 */
export interface PieceLimits {
  /** Characters of text read (scanned, and parsed a piece at a time) per turn. */
  chars: number;
  /**
   * Objects and arrays in a piece: their count, more than the text's length, sets JSON.parse's time.
   * As many at most are built here, or closed, per turn.
   */
  containers: number;
}

/** A piece of 1 MB of rows parses in ~5 ms, one of 20,000 `{}` (60 kB) in ~3 ms (the collector adds its pauses). */
export const PIECE_LIMITS: PieceLimits = { chars: 1_000_000, containers: 20_000 };

/**
 * What a string value is read as (`decodeStoredInTurns`: the store's tagged Dates). Strings only:
 * the containers built here are never handed to a reviver, as JSON.parse's would be, and keys are
 * never revived (nor are they by JSON.parse).
 */
export type StringReviver = (text: string) => unknown;

export async function parseJsonInTurns(text: string, limits: PieceLimits = PIECE_LIMITS, reviveString?: StringReviver): Promise<unknown> {
  const reader = new PieceReader(text, limits, reviveString ? (_key: string, value: unknown) => (typeof value === 'string' ? reviveString(value) : value) : undefined);
  while (!reader.readTurn()) await nextTurn();
  return reader.value();
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
/** JSON's whitespace only: JSON.parse refuses others (a no-break space, a line separator). */
const BLANK = /^[ \t\n\r]*$/;

type Container = unknown[] | Record<string, unknown>;

/**
 * Depth d is the d-th container open at the scan's position (1 the outermost). Containers at
 * depths 1..built are being built here, a piece at a time; deeper ones are still text, read by
 * JSON.parse within their piece when it ends.
 */
class PieceReader {
  private position = 0;
  private depth = 0;
  private built = 0;
  /** Containers opened since the last piece was parsed. */
  private opened = 0;
  private root: { value: unknown; end: number } | null = null;
  // Per depth, for every open container:
  private readonly starts: number[] = [];
  private readonly isObject: boolean[] = [];
  /** Where the element being scanned begins: after the opening bracket or the last comma. */
  private readonly elementStarts: number[] = [];
  // Per depth, for the containers being built:
  private readonly containers: Container[] = [];
  /** Where the text not yet added to the container begins. */
  private readonly unreadFrom: number[] = [];
  /** The container's last element was built here (text up to the next comma must be blank). */
  private readonly afterBuiltChild: boolean[] = [];
  /** The container's last element was followed by a comma: another must come. */
  private readonly afterComma: boolean[] = [];
  /** In an object, the key of the element being built one depth deeper. */
  private readonly pendingKeys: string[] = [];

  constructor(
    private readonly text: string,
    private readonly limits: PieceLimits,
    private readonly reviver?: (key: string, value: unknown) => unknown,
  ) {}

  /** Reads up to a turn's worth; true when the whole text is read. */
  readTurn(): boolean {
    const text = this.text;
    const stopAt = Math.min(text.length, this.position + this.limits.chars);
    let index = this.position;
    let builtClosed = 0;
    while (index < stopAt) {
      const code = text.charCodeAt(index);
      if (code === QUOTE) {
        index = stringEnd(text, index) + 1;
        continue;
      }
      if (code === OPEN_BRACE || code === OPEN_BRACKET) {
        this.open(index, code === OPEN_BRACE);
        // Built at the next cut, a text nested 1.9 million deep before its first comma built every
        // level in one turn (0.6-1.1 s, longer than JSON.parse of the whole): built a turn's worth at a time.
        if (this.depth - this.built >= this.limits.containers) {
          while (this.built < this.depth) this.build(this.built + 1);
          this.position = index + 1;
          return false;
        }
      } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
        // Each container built here closes with a slice, a test and its attaching: a text nested
        // 1.9 million deep (`[1,[1,...`, within MAX_JSON_CONTAINERS) closed a million in one turn, 0.1 s.
        if (this.close(index, code === CLOSE_BRACE) && ++builtClosed >= this.limits.containers) {
          this.position = index + 1;
          return false;
        }
      } else if (code === COMMA && this.comma(index)) {
        this.position = index + 1;
        return false;
      }
      index++;
    }
    this.position = index;
    return index >= text.length;
  }

  value(): unknown {
    if (this.depth !== 0) throw new SyntaxError('Unexpected end of JSON input');
    // No comma came past a piece's length: a text of few values (one long string, say), read whole.
    if (this.root === null) return JSON.parse(this.text, this.reviver);
    if (!BLANK.test(this.text.slice(this.root.end + 1))) throw unexpected(this.root.end + 1);
    return this.root.value;
  }

  private open(index: number, isObject: boolean): void {
    if (this.depth === 0 && this.root !== null) throw unexpected(index);
    const depth = ++this.depth;
    this.starts[depth] = index;
    this.isObject[depth] = isObject;
    this.elementStarts[depth] = index + 1;
    this.opened++;
  }

  /** True when the container closed was one built here (see `built`). */
  private close(index: number, isObject: boolean): boolean {
    const depth = this.depth;
    if (depth === 0 || this.isObject[depth] !== isObject) throw unexpected(index);
    this.depth--;
    if (depth > this.built) return false;
    const rest = this.text.slice(this.unreadFrom[depth], index);
    if (BLANK.test(rest)) {
      if (this.afterComma[depth] === true) throw unexpected(index);
    } else {
      if (this.afterBuiltChild[depth] === true) throw unexpected(index);
      this.addPiece(depth, rest);
    }
    this.built--;
    this.attach(this.containers[depth] as Container, depth - 1, index);
    return true;
  }

  /** A comma at the scan's depth; true when a piece was parsed (the turn ends). */
  private comma(index: number): boolean {
    const depth = this.depth;
    if (depth === 0) throw unexpected(index);
    this.elementStarts[depth] = index + 1;
    if (depth === this.built && this.afterBuiltChild[depth] === true) {
      if (!BLANK.test(this.text.slice(this.unreadFrom[depth], index))) throw unexpected(index);
      this.afterBuiltChild[depth] = false;
      this.afterComma[depth] = true;
      this.unreadFrom[depth] = index + 1;
      return false;
    }
    const unreadFrom = this.built === 0 ? 0 : (this.unreadFrom[this.built] as number);
    if (index - unreadFrom < this.limits.chars && this.opened < this.limits.containers) return false;
    while (this.built < depth) this.build(this.built + 1);
    const piece = this.text.slice(this.unreadFrom[depth], index);
    if (BLANK.test(piece)) throw unexpected(index);
    this.addPiece(depth, piece);
    this.afterComma[depth] = true;
    this.unreadFrom[depth] = index + 1;
    this.opened = 0;
    return true;
  }

  /** The container open at `depth` is built here from now on: its parent's whole elements before it are added first. */
  private build(depth: number): void {
    const parent = depth - 1;
    const start = this.starts[depth] as number;
    const elementStart = parent === 0 ? 0 : (this.elementStarts[parent] as number);
    if (parent > 0) {
      if (this.afterBuiltChild[parent] === true) throw unexpected(start);
      const unreadFrom = this.unreadFrom[parent] as number;
      if (elementStart > unreadFrom) {
        const piece = this.text.slice(unreadFrom, elementStart - 1);
        if (BLANK.test(piece)) throw unexpected(elementStart - 1);
        this.addPiece(parent, piece);
      }
      this.afterComma[parent] = false;
    }
    const before = this.text.slice(elementStart, start);
    if (parent > 0 && this.isObject[parent] === true) this.pendingKeys[parent] = keyBefore(before, start);
    else if (!BLANK.test(before)) throw unexpected(start);
    this.containers[depth] = this.isObject[depth] === true ? {} : [];
    this.unreadFrom[depth] = start + 1;
    this.afterBuiltChild[depth] = false;
    this.afterComma[depth] = false;
    this.built = depth;
  }

  /** A container built here, ended at `end`, becomes its parent's element (or the whole value). */
  private attach(value: Container, parent: number, end: number): void {
    if (parent === 0) {
      this.root = { value, end };
      return;
    }
    const container = this.containers[parent] as Container;
    if (Array.isArray(container)) container.push(value);
    else setKey(container, this.pendingKeys[parent] as string, value);
    this.afterBuiltChild[parent] = true;
    this.unreadFrom[parent] = end + 1;
  }

  /** Whole elements of the container at `depth` (text between its brackets), parsed by JSON.parse. */
  private addPiece(depth: number, piece: string): void {
    const container = this.containers[depth] as Container;
    if (Array.isArray(container)) {
      for (const item of JSON.parse(`[${piece}]`, this.reviver) as unknown[]) container.push(item);
      return;
    }
    const members = JSON.parse(`{${piece}}`, this.reviver) as Record<string, unknown>;
    for (const key of Object.keys(members)) setKey(container, key, members[key]);
  }
}

/** The index of the quote that ends the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  while (end !== -1 && text.charCodeAt(end - 1) === BACKSLASH) {
    let backslashes = 1;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) break;
    end = text.indexOf('"', end + 1);
  }
  if (end === -1) throw new SyntaxError('Unterminated string in JSON');
  return end;
}

/** The key in `"key" :` (blanks around), the text before an object's member value. */
function keyBefore(text: string, valueStart: number): string {
  const colon = text.lastIndexOf(':');
  const key: unknown = colon === -1 || !BLANK.test(text.slice(colon + 1)) ? undefined : JSON.parse(text.slice(0, colon));
  if (typeof key !== 'string') throw unexpected(valueStart);
  return key;
}

/** As JSON.parse sets a member: `__proto__` too is an own property, not the prototype. */
function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

const unexpected = (index: number): SyntaxError => new SyntaxError(`Unexpected token in JSON at position ${index}`);
