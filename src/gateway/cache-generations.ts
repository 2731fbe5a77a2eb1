import { randomUUID } from 'node:crypto';

/**
 * What lets replicas sharing the read cache (Redis) see each other's
 * invalidations against reads already in flight. Each instance has a
 * generation in the store, a new random one at every invalidation; each
 * entry holds the generation its read saw when it started, and is served
 * only while that is still the instance's generation. A read on one replica
 * that a mutation on another overtook is written back late with the old
 * generation, and never served: before, it was served to every replica for
 * the account's cacheTtlMs.
 *
 * The entry and its generation are one key (`CachedEntry`): written as two
 * (the list, and a token key beside it) in one pipeline, not atomically,
 * Redis could evict one and keep the other, or take the first SET and fail
 * the second, leaving a list without its generation or a token holding
 * memory for no list. Entries are filed under the build that wrote them
 * (read-cache.ts), so no other build reads this shape.
 */

/**
 * The generation of an instance never invalidated (or whose generation expired or was evicted). No
 * entry is written under it: a read that finds it claims a generation first (ReadCache.claimGenerations).
 */
export const NO_GENERATION = '';
/** Read in place of a generation of another shape: equals no entry's generation ever written. */
const UNREADABLE = '\u0000unreadable';

/** `<providerId>\0<nativeId>` (nativeId '' for the account's instance list): the store key of its generation. */
export const generationKey = (instanceKey: string): string => `gen\u0000${instanceKey}`;

/** An invalidation's generation: a write to the instance. */
export const newGeneration = (): string => randomUUID();

const CLAIM = 'claim:';
/** A generation a read set where there was none: no write happened, so other reads that found none may cache under it too. */
export const newClaimedGeneration = (): string => CLAIM + randomUUID();
export const isClaimedGeneration = (generation: unknown): generation is string => typeof generation === 'string' && generation.startsWith(CLAIM);

/** A generation as read from the store: absent is NO_GENERATION, anything but a string matches nothing. */
export function generationOf(stored: unknown): string {
  if (stored === undefined) return NO_GENERATION;
  return typeof stored === 'string' ? stored : UNREADABLE;
}

/** A shared store's entry: the list, and the generation of its instance its read started under. */
export interface CachedEntry {
  readonly generation: string;
  readonly list: unknown;
}

export const cachedEntry = (generation: string, list: unknown): CachedEntry => ({ generation, list });

/**
 * The list an entry holds when it was read under `generation`; undefined for an entry of another
 * generation, or of another shape (another writer's: anything but a CachedEntry matches nothing).
 */
export function listUnder(stored: unknown, generation: string): unknown {
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return undefined;
  const entry = stored as { generation?: unknown; list?: unknown };
  return typeof entry.generation === 'string' && entry.generation === generation ? entry.list : undefined;
}
