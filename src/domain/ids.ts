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

export function encodeId(type: IdType, providerId: string, keys: readonly string[]): string {
  return Buffer.from(JSON.stringify([ID_TYPES[type], providerId, ...keys]), 'utf8').toString('base64url');
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

/** Decodes an id that must name one type; another type is BAD_USER_INPUT. */
/** The type a global id names, read from its tag alone; null for anything that is no id the gateway makes. Never throws. */
export function idTypeOf(id: string): IdType | null {
  try {
    const parts: unknown = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
    return Array.isArray(parts) && typeof parts[0] === 'string' ? (TYPE_BY_TAG.get(parts[0]) ?? null) : null;
  } catch {
    return null;
  }
}

export function decodeIdOf(expected: IdType, id: string, argument: string): GlobalId {
  const decoded = decodeId(id);
  if (decoded.type !== expected) throw badInput(`${argument} must be the id of ${withArticle(expected)}, got ${withArticle(decoded.type)} id`);
  return decoded;
}
