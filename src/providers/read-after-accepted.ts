import { isGatewayError } from '../domain/errors.js';

/**
 * The answer to a write the provider has accepted, read by a follow-up call (OnApp and Zomro read the
 * backup list after a DELETE, Zomro the schedule list after a schedule's create it answered with an
 * id). That read failing in any way the gateway can name (refused 403/404, a 5xx, timed out, the
 * request's upstream call or answer budget spent, the breaker open) says nothing of the write:
 * `fromWrite()` answers instead, from what the write's own answer and input tell (a delete's
 * operation RUNNING, as a poll that cannot tell yet answers; the schedule as asked, with the panel's
 * id). A refusal read so freed the key and the retry wrote again; a timeout or 5xx kept the key but
 * told the client the write failed. Anything else (a bug) is thrown as it is.
 */
export function answerAfterAccepted<T>(read: () => Promise<T>, fromWrite: () => T): Promise<T> {
  return read().catch((error: unknown) => {
    if (!isGatewayError(error)) throw error;
    return fromWrite();
  });
}
