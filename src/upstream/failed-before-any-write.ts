import { GatewayError } from '../domain/errors.js';

/**
 * A mutation's failure met before it sent any write (UpstreamBudget.writesSent unchanged): the read
 * that finds what it acts on timed out, answered 5xx, or its session's login failed so. Nothing was
 * written, so the idempotencyKey is freed (mayHaveActed), whatever the failing read's kind. Kept as
 * "may have acted" by that kind, the key replayed the read's failure for 24 h and its retry never acted.
 */
export class FailedBeforeAnyWrite extends GatewayError {
  constructor(failure: GatewayError) {
    super(failure.code, failure.message, failure.details);
  }
}
