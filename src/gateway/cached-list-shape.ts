import { isCachedRecord } from './cached-record-shape.js';

/**
 * Whether a list read from a store shared by replicas looks like what this
 * version caches there: a list of records of the account it is filed under,
 * each with every field of its kind (cached-record-shape.ts). Another
 * version's entry, or any other writer's, was served as it was: a
 * non-list failed the field with INTERNAL_SERVER_ERROR (`{}` as an account's
 * instance list read as no instances at all) for the account's cacheTtlMs.
 * Anything else is a miss, and the provider's answer replaces it.
 */
export function isCachedList(value: unknown, providerId: string, kind: string): boolean {
  if (!Array.isArray(value)) return false;
  for (const item of value as unknown[]) {
    if (item === null || typeof item !== 'object') return false;
    if ((item as { providerId?: unknown }).providerId !== providerId || !isCachedRecord(item, kind)) return false;
  }
  return true;
}
