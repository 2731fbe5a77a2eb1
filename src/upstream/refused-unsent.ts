import { GatewayError, isGatewayError } from '../domain/errors.js';
import type { UpstreamBudget } from './budget.js';

/**
 * A request's budget refusal (QUERY_TOO_COMPLEX, as the client reads it) met by a mutation before
 * it sent any write: nothing reached the provider, so its idempotencyKey is freed (mayHaveActed).
 * The budget's own refusal is one error shared by every call of the request, the follow-up read
 * of a write that did act among them: it cannot say which side of the write it came from.
 */
export class RefusedUnsent extends GatewayError {
  constructor(refusal: GatewayError) {
    super(refusal.code, refusal.message, refusal.details);
  }
}

/**
 * Runs a mutation's `act`; a QUERY_TOO_COMPLEX it fails with before any write of the request was
 * sent meanwhile becomes a RefusedUnsent. One after a write (its follow-up read) stays as it is:
 * the write may have acted. A document's mutations run one after another, so the writes counted
 * while `act` runs are its own.
 */
export async function refusalsBeforeWriteUnsent<T>(budget: UpstreamBudget | undefined, act: () => Promise<T>): Promise<T> {
  if (!budget) return act();
  const writesBefore = budget.writesSent;
  try {
    return await act();
  } catch (error) {
    throw unsentWhereNoWrite(error, budget.writesSent === writesBefore);
  }
}

/** `error` as a RefusedUnsent where it is a budget refusal and no write was sent; else as it is. */
export function unsentWhereNoWrite(error: unknown, noWriteSent: boolean): unknown {
  if (!noWriteSent || error instanceof RefusedUnsent || !isGatewayError(error) || error.code !== 'QUERY_TOO_COMPLEX') return error;
  return new RefusedUnsent(error);
}
