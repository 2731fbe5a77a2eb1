import { GatewayError, isGatewayError } from '../domain/errors.js';
import type { UpstreamScope } from './scope.js';

/**
 * A mutation's failure met after its write was answered with a refusal inside a 2xx (Zomro's
 * BILLmanager answers every error 200 with `doc.error`), with no later send of that write:
 * whatever failed next (the keepalive that asks whether the session is dead, the login that
 * renews it) says nothing of the write, which did nothing, so the idempotencyKey is freed
 * (mayHaveActed). Kept by that failure's own kind (a keepalive's 503, a login's 5xx), or as a
 * failure after a write reached the provider (its 200 counted so), the key replayed that failure
 * for 24 h, though the retry once the session or right was back would have acted once.
 */
export class WriteRefused extends GatewayError {
  constructor(failure: GatewayError) {
    super(failure.code, failure.message, failure.details);
  }
}

/**
 * The adapter's mark that the write it sent was refused, though the HTTP status said taken (a 2xx):
 * the write no longer counts as having reached the provider (UpstreamBudget.writesReached), so a
 * failure of the gateway's side after it frees the key instead of keeping it (after-write-reached.ts).
 */
export function writeRefusedInAnswer(scope: UpstreamScope): void {
  scope.budget?.writeRefusedInAnswer();
}

/**
 * One write's sends (a session refused and renewed sends it again), for a client whose provider may
 * refuse a write inside a 2xx: each send marked as it goes out and as its answer reads, and the
 * call's failure read by the last send's fate.
 */
export class WriteSends {
  private lastRefusedInAnswer = false;

  constructor(private readonly scope: UpstreamScope) {}

  /** A send goes out: until its answer reads as a refusal, it may act. */
  sending(): void {
    this.lastRefusedInAnswer = false;
  }

  /** The send's 2xx answer reads as the write's refusal. */
  refusedInAnswer(): void {
    this.lastRefusedInAnswer = true;
    writeRefusedInAnswer(this.scope);
  }

  /** The call's failure: a WriteRefused where the last send was refused inside its answer, else as it is. */
  failure(error: unknown): unknown {
    if (!this.lastRefusedInAnswer || !isGatewayError(error) || error instanceof WriteRefused) return error;
    return new WriteRefused(error);
  }
}
