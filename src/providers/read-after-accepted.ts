import { mayHaveActed } from '../upstream/may-have-acted.js';
import { isGatewayError } from '../domain/errors.js';

/**
 * The answer to a write the provider has accepted, read by a follow-up call (Zomro reads the schedule
 * list after a schedule's create; deletes: operationAfterAccepted below). That read
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

/**
 * The operation of a delete the provider has accepted, read by a follow-up call (OnApp and Zomro read
 * the backup list after the DELETE). Any failure of that read the gateway can name (refused, timed
 * out, the request's upstream call or answer budget spent, the breaker open) says nothing of the delete:
 * it answers `running()`, as a poll that cannot tell yet does, and the operation's polls read again. A
 * timeout was kept as a failure "that may have acted": the key held, but the client was told the
 * delete failed where OnApp's create, in the same case, answers its operation PENDING.
 */
export function operationAfterAccepted<T>(read: () => Promise<T>, running: () => T): Promise<T> {
  return read().catch((error: unknown) => {
    if (!isGatewayError(error)) throw error;
    return running();
  });
}
