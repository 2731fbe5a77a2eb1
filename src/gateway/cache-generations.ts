import { randomUUID } from 'node:crypto';

/**
 * What lets replicas sharing the read cache (Redis) see each other's
 * invalidations against reads already in flight. Each instance has a
 * generation in the store, a new random one at every invalidation; each
 * entry is written beside the generation its read saw when it started, and
 * served only while that is still the instance's generation. A read on one
 * replica that a mutation on another overtook is written back late with the
 * old generation, and never served: before, it was served to every replica
 * for the account's cacheTtlMs.
 *
 * The entry itself keeps its shape (a list), so a replica of the version
 * before reads it as it always did during a rollout.
 */

/** The generation of an instance never invalidated (or whose generation expired). */
export const NO_GENERATION = '';
/** Read in place of a generation of another shape: equals no token ever written. */
const UNREADABLE = '\u0000unreadable';

/** `<providerId>\0<nativeId>` (nativeId '' for the account's instance list): the store key of its generation. */
export const generationKey = (instanceKey: string): string => `gen\u0000${instanceKey}`;

/** The key beside an entry holding the generation its read started under. */
export const tokenKeyOf = (entryKey: string): string => `${entryKey}\u0000gen`;

export const newGeneration = (): string => randomUUID();

/** A generation as read from the store: absent is NO_GENERATION, anything but a string matches nothing. */
export function generationOf(stored: unknown): string {
  if (stored === undefined) return NO_GENERATION;
  return typeof stored === 'string' ? stored : UNREADABLE;
}

/**
 * An entry's token as read: absent (an entry written by the version before, or its token
 * evicted) counts as NO_GENERATION, so it is served only where nothing was invalidated since.
 */
export const tokenOf = generationOf;
