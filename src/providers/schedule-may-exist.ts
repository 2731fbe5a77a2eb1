import { providerError } from '../domain/errors.js';
import { FailedAfterWriteReached } from '../upstream/after-write-reached.js';

/**
 * The failure of a schedule's create the provider took (a 2xx) whose schedule the gateway cannot name:
 * no id in the answer, and nothing read after it tells which schedule is the new one. Kept, never
 * freed (FailedAfterWriteReached: the write reached the provider), so a retry with its idempotencyKey
 * is told this again and makes no second schedule; its words tell the user the schedule most likely
 * exists and where to look before creating it again with a new key. `lookFor`: how the user knows it.
 */
export function scheduleMayExist(provider: string, why: string, lookFor: string): FailedAfterWriteReached {
  return new FailedAfterWriteReached(
    providerError(
      provider,
      `provider ${provider} took the schedule's create but ${why}, so the schedule most likely exists: look for it in the instance's schedules (${lookFor}) before creating it again`,
      'SCHEDULE_UNNAMED',
    ),
  );
}
