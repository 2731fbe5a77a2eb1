import { GatewayError, isGatewayError, type ErrorCode } from '../domain/errors.js';
import type { UpstreamBudget } from './budget.js';
import { UpstreamFailure, UpstreamNotSent } from './deadline.js';
import { WriteRefused } from './write-refused.js';

/**
 * A mutation's failure met after one of its writes reached the provider (UpstreamBudget.writesReached):
 * the idempotencyKey is kept, whatever the failing call itself was (mayHaveActed). OnApp answers a
 * create with no record and the gateway reads the VM's backups after it: that read rate limited (429),
 * or not sent (breaker open), read as "refused without acting", freed the key, and the retry with it
 * made a second backup.
 */
export class FailedAfterWriteReached extends GatewayError {
  constructor(failure: GatewayError) {
    super(failure.code, failure.message, failure.details);
  }
}

/**
 * What a failure of the gateway's own side says "did nothing" for: its one call (not sent, not
 * reached, turned away unread) or the gateway's state. Never the provider's word on the write
 * (NOT_FOUND, CONFLICT, a 4xx of its own): that is the write's refusal, which may come after a
 * write refused for its session and sent again. A WriteRefused is kept too: its own write did
 * nothing, but an earlier write of the mutation did.
 */
const GATEWAY_SIDE_CODES: ReadonlySet<ErrorCode> = new Set(['STORE_UNAVAILABLE', 'SHUTTING_DOWN']);
const saysNothingOfEarlierWrites = (error: unknown): error is GatewayError =>
  error instanceof UpstreamNotSent || error instanceof UpstreamFailure || error instanceof WriteRefused || (isGatewayError(error) && GATEWAY_SIDE_CODES.has(error.code));

/** Runs a mutation's `act`; a failure of the gateway's side after one of its writes reached the provider becomes a FailedAfterWriteReached. */
export async function failuresAfterWriteKept<T>(budget: UpstreamBudget | undefined, act: () => Promise<T>): Promise<T> {
  if (!budget) return act();
  const reachedBefore = budget.writesReached;
  try {
    return await act();
  } catch (error) {
    if (budget.writesReached === reachedBefore || !saysNothingOfEarlierWrites(error)) throw error;
    throw new FailedAfterWriteReached(error);
  }
}
