import { mayHaveActed } from '../upstream/may-have-acted.js';

/**
 * The answer to a write the provider has accepted, read by a follow-up call (OnApp and Zomro read
 * the backup list after a delete, Zomro the schedule list after a schedule's create). That read
 * refused with the provider's own word (a 403: PROVIDER_ERROR, a 404: NOT_FOUND) says nothing of the
 * write, but mayHaveActed reads it as "refused without acting": the mutation failed so, its
 * idempotencyKey was freed, and the retry with it sent the write again. Such a refusal answers
 * `underWay(refusal)` instead (an in-progress operation whose polls read again, or what the write's
 * own answer and input tell), which may throw a failure that keeps the key. A failure already read as
 * "may have acted" (a timeout, the request's budget spent) keeps its key as it is.
 */
export function readAfterAccepted<T>(read: () => Promise<T>, underWay: (refusal: unknown) => T): Promise<T> {
  return read().catch((error: unknown) => {
    if (mayHaveActed(error)) throw error;
    return underWay(error);
  });
}
