import { badInput } from './errors.js';

/**
 * Opaque global ids (Relay Global Object Identification). An id carries the
 * entity type, the provider account id and the native keys the provider needs
 * to act (e.g. Zomro's delete needs the instance plid and the backup elid), so
 * resolving or acting on an id needs no lookup table.
 *
 * Encoding: base64url(JSON.stringify([typeTag, providerId, ...keys])).
 */

export const ID_TYPES = {
  Instance: 'I',
  Backup: 'B',
  BackupSchedule: 'S',
  BackupDefinition: 'D',
  Operation: 'O',
} as const;
export type IdType = keyof typeof ID_TYPES;

const TYPE_BY_TAG = new Map<string, IdType>(
  (Object.entries(ID_TYPES) as Array<[IdType, string]>).map(([type, tag]) => [tag, type]),
);

export interface GlobalId {
  type: IdType;
  providerId: string;
  keys: string[];
}

/**
 * An id the gateway did not make: a README placeholder pasted as it is (`<Instance id>`), a
 * name or a provider's own id (`5203773`) sent where the global id goes. "malformed id" alone
 * did not say which id the field wants.
 */
export const MALFORMED_ID = "malformed id: send an id as the gateway answered it (e.g. an Instance's `id`), not a name or the provider's own id";

/** Ids longer than this are refused before any decoding work. */
const MAX_ID_LENGTH = 2048;
const MAX_KEYS = 12;
/** With the u flag a surrogate pair is one code point: only unpaired halves match. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * The bytes of the id being encoded. An uncached dashboard encodes ~1,200 ids, and each made
 * garbage on the way to its base64 text: an array of its parts, JSON.stringify's text (and the
 * parts of its builder), a Buffer of its own (a Uint8Array and a slice of the pool). The JSON
 * is written here part by part instead, and read as base64 in the same synchronous call, so no
 * two calls share the buffer.
 */
const idBytes = Buffer.allocUnsafeSlow(16 * 1024);
const QUOTE = 0x22;
const COMMA = 0x2c;
/** The most bytes one UTF-16 unit takes in the JSON: `\u001f` escaped is 6. */
const MOST_BYTES_PER_UNIT = 6;

export function encodeId(type: IdType, providerId: string, keys: readonly string[]): string {
  let units = ID_TYPES[type].length + providerId.length;
  for (const key of keys) units += key.length;
  // The brackets, commas and quotes of each part, and each unit at its longest.
  if ((units + 3 * (keys.length + 2)) * MOST_BYTES_PER_UNIT > idBytes.length) {
    return Buffer.from(JSON.stringify([ID_TYPES[type], providerId, ...keys]), 'utf8').toString('base64url');
  }
  idBytes[0] = 0x5b; // [
  let at = writeJsonString(ID_TYPES[type], 1);
  idBytes[at++] = COMMA;
  at = writeJsonString(providerId, at);
  for (const key of keys) {
    idBytes[at++] = COMMA;
    at = writeJsonString(key, at);
  }
  idBytes[at++] = 0x5d; // ]
  return idBytes.toString('base64url', 0, at);
}

/** `JSON.stringify(text)`'s bytes written into idBytes at `at`; where the next byte goes. */
function writeJsonString(text: string, at: number): number {
  if (!needsEscapes(text)) {
    idBytes[at] = QUOTE;
    const end = at + 1 + idBytes.write(text, at + 1, 'utf8');
    idBytes[end] = QUOTE;
    return end + 1;
  }
  return at + idBytes.write(JSON.stringify(text), at, 'utf8');
}

/** Whether JSON.stringify would write `text` other than as it stands between quotes (a quote, a backslash, a control character, a surrogate). */
function needsEscapes(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === QUOTE || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return true;
  }
  return false;
}

/** Decodes any global id; a malformed one is BAD_USER_INPUT, never a crash. */
export function decodeId(id: string): GlobalId {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH || !/^[A-Za-z0-9_-]+$/.test(id)) {
    throw badInput(MALFORMED_ID);
  }
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
  } catch {
    throw badInput(MALFORMED_ID);
  }
  if (!Array.isArray(parts) || parts.length < 3 || parts.length > MAX_KEYS + 2 || !parts.every((p) => typeof p === 'string')) {
    throw badInput(MALFORMED_ID);
  }
  // A lone surrogate (JSON.stringify keeps it as an escape) is no text a provider could have made; encodeURIComponent would throw on it.
  if ((parts as string[]).some((part) => LONE_SURROGATE.test(part))) throw badInput(MALFORMED_ID);
  const [tag, providerId, ...keys] = parts as string[];
  const type = TYPE_BY_TAG.get(tag as string);
  if (type === undefined || providerId === '') throw badInput(MALFORMED_ID);
  // One thing, one id: the same parts spelt another way (spaces, escapes, stray base64 bits) would pass
  // checks that compare ids as text (a repeated id in createBackups, one poll loop per operation).
  if (encodeId(type, providerId as string, keys) !== id) throw badInput(MALFORMED_ID);
  return { type, providerId: providerId as string, keys };
}

/** "an Instance", "a Backup": "a Instance" read as a slip of the gateway's. */
export const withArticle = (type: IdType): string => `${/^[AEIOU]/.test(type) ? 'an' : 'a'} ${type}`;

/** The type a global id names, read from its tag alone; null for anything that is no id the gateway makes. Never throws. */
export function idTypeOf(id: string): IdType | null {
  try {
    const parts: unknown = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
    return Array.isArray(parts) && typeof parts[0] === 'string' ? (TYPE_BY_TAG.get(parts[0]) ?? null) : null;
  } catch {
    return null;
  }
}

/**
 * What an argument that wants one type says of an id the gateway did not make: that type, and
 * the argument. The one message for every field said "e.g. an Instance's `id`", so a README
 * placeholder pasted into `operation(id:)` was told to send an instance's id.
 */
export const malformedIdOf = (expected: IdType, argument: string): string =>
  `malformed ${argument === 'id' ? 'id' : `id in ${argument}`}: send ${withArticle(expected)}'s \`id\` as the gateway answered it, not a placeholder, a name or the provider's own id`;

/** Decodes an id that must name one type; another type, or no id the gateway made, is BAD_USER_INPUT naming the type. */
export function decodeIdOf(expected: IdType, id: string, argument: string): GlobalId {
  let decoded: GlobalId;
  try {
    decoded = decodeId(id);
  } catch {
    throw badInput(malformedIdOf(expected, argument));
  }
  if (decoded.type !== expected) throw badInput(`${argument} must be the id of ${withArticle(expected)}, got ${withArticle(decoded.type)} id`);
  return decoded;
}
