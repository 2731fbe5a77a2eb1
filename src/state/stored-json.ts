import { nextTurn } from '../domain/turns.js';
import { PIECE_LIMITS, parseJsonInTurns } from '../upstream/json-in-turns.js';

/**
 * JSON for what the gateway keeps in Redis (cached reads, idempotency
 * records, operations): Dates come back as Dates and every string comes back
 * exactly as it was stored.
 *
 * Dates are tagged, not guessed: reviving every string that looked like an
 * ISO date turned a provider's backup named "2030-01-01T00:00:00Z", or a
 * note holding a date, into a Date, so it came back changed from the cache
 * (and a definition whose native id is its name could no longer be found).
 * A Date is stored as TAG + "D" + its ISO text; a string that itself starts
 * with TAG is stored with one more TAG in front; nothing else changes.
 */
const TAG = '\u0001';
const DATE_MARK = 'D';
/** Starts every text written this way; JSON itself never starts with it. */
const FORMAT = `${TAG}2`;

/** Entries written before the tagged format (they expire with their TTL): the old guess, kept only to read them. */
const LEGACY_ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

export function encodeStored(value: unknown): string {
  return FORMAT + JSON.stringify(value, tagDates);
}

export function decodeStored<T>(text: string): T {
  if (text.startsWith(FORMAT)) return JSON.parse(text.slice(FORMAT.length), untag) as T;
  return JSON.parse(text, reviveLegacy) as T;
}

/**
 * Past this many characters a stored text is written and read with turns of the event loop
 * between pieces: a cached instance list of a 150,000-VM account is some 60 MB, whose
 * JSON.stringify with the Date tagging held the loop 1-3 s on each write and JSON.parse with its
 * reviver 1-5 s on each read, on every replica reading it (every client and health check waited).
 */
export const STORED_CHARS_PER_TURN = PIECE_LIMITS.chars;

/** `decodeStored`, a piece at a time for a long text (json-in-turns.ts): the same value. */
export async function decodeStoredInTurns<T>(text: string): Promise<T> {
  if (text.length <= STORED_CHARS_PER_TURN) return decodeStored<T>(text);
  if (text.startsWith(FORMAT)) return (await parseJsonInTurns(text.slice(FORMAT.length), PIECE_LIMITS, untagString)) as T;
  return (await parseJsonInTurns(text, PIECE_LIMITS, reviveLegacyString)) as T;
}

/**
 * `encodeStored`, with a turn between runs of a long list's elements: the same text. A list is
 * cut, and so is a list that is a member of a plain object: the read cache on a shared store keeps
 * `{ generation, list }` (cache-generations.ts), which cut only as a bare list was written in one
 * go. Anything else, and a short list, is written in one go.
 */
export async function encodeStoredInTurns(value: unknown): Promise<string> {
  if (Array.isArray(value)) return FORMAT + (await listInTurns(value, { chars: 0 }));
  if (!isPlainObject(value)) return encodeStored(value);
  const written = { chars: 0 };
  const members: string[] = [];
  for (const [key, member] of Object.entries(value)) {
    // As JSON.stringify writes an object's member: `undefined`, a function or a symbol is left out.
    const text = Array.isArray(member) ? await listInTurns(member, written) : (JSON.stringify(member, tagDates) as string | undefined);
    if (text !== undefined) members.push(`${JSON.stringify(key)}:${text}`);
  }
  return `${FORMAT}{${members.join(',')}}`;
}

/** A list's JSON, a turn each time `written` passes STORED_CHARS_PER_TURN. */
async function listInTurns(list: readonly unknown[], written: { chars: number }): Promise<string> {
  const parts: string[] = [];
  for (const element of list) {
    // As JSON.stringify writes an array's element: `undefined`, a function or a symbol is null.
    const text = JSON.stringify(element, tagDates) ?? 'null';
    parts.push(text);
    written.chars += text.length;
    if (written.chars > STORED_CHARS_PER_TURN) {
      written.chars = 0;
      await nextTurn();
    }
  }
  return `[${parts.join(',')}]`;
}

/** An object JSON.stringify writes member by member: no class of its own, no toJSON. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

// JSON.stringify has already called Date#toJSON on `item`; `this[key]` is still the Date.
function tagDates(this: unknown, key: string, item: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  // `item` is the Date's toJSON(): its ISO text, or null for an invalid Date (read back as one).
  if (original instanceof Date) return `${TAG}${DATE_MARK}${typeof item === 'string' ? item : ''}`;
  if (typeof item === 'string' && item.startsWith(TAG)) return TAG + item;
  return item;
}

function untag(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? untagString(value) : value;
}

function untagString(value: string): unknown {
  if (!value.startsWith(TAG)) return value;
  if (value[1] === DATE_MARK) return new Date(value.slice(2));
  return value.slice(1);
}

function reviveLegacy(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? reviveLegacyString(value) : value;
}

function reviveLegacyString(value: string): unknown {
  return LEGACY_ISO_DATE.test(value) ? new Date(value) : value;
}
