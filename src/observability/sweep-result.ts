import type { ProtectionCounts } from '../gateway/protection.js';

/** One account's counts in a sweep result. */
export interface SweptAccount {
  id: string;
  counts: ProtectionCounts;
  /**
   * When these counts were read with nothing failing (ms): for a failed
   * account, its last-known counts from that sweep (see sweep-carry-over.ts).
   * Absent for counts read in part (an account that never read whole), and
   * in a result the previous version stored.
   */
  readAt?: number;
}

/** What the last sweep found, as plain data in the shared store: every replica exports the same figures. */
export interface SweepResult {
  finishedAt: number;
  seconds: number;
  providers: SweptAccount[];
  failedProviders: string[];
}

const COUNT_FIELDS: ReadonlyArray<keyof ProtectionCounts> = ['instances', 'protected', 'stale', 'unprotected', 'unknown'];

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);
const isTime = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);
/**
 * A count of instances: a whole number, 0 or more. Another writer's -3 or 2.5
 * was exported as it stood, and carried on as last-known counts while the
 * account failed (`InstancesUnprotected` summing it).
 */
const isCount = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;
const isCounts = (value: unknown): boolean => isRecord(value) && COUNT_FIELDS.every((field) => isCount(value[field]));

/**
 * Whether a result read from the shared store is one this version writes.
 * It is read at every scrape, and Redis is shared with replicas of other
 * versions (and anyone else who writes there): a result of another shape
 * (providers not a list, a provider without counts, a time that is not a
 * number) threw inside the gauges' collect, and /metrics answered 500 with
 * none of the gateway's metrics until the next sweep replaced it.
 */
export function isSweepResult(value: unknown): value is SweepResult {
  if (!isRecord(value) || !isTime(value.finishedAt) || !isTime(value.seconds)) return false;
  const { providers, failedProviders } = value;
  if (!Array.isArray(providers) || !Array.isArray(failedProviders)) return false;
  if (!failedProviders.every((id) => typeof id === 'string')) return false;
  return providers.every((provider: unknown) => isRecord(provider) && typeof provider.id === 'string' && isCounts(provider.counts) && (provider.readAt === undefined || isTime(provider.readAt)));
}
