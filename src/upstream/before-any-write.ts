import { isGatewayError } from '../domain/errors.js';
import type { UpstreamBudget } from './budget.js';
import { FailedBeforeAnyWrite } from './failed-before-any-write.js';
import { mayHaveActed } from './may-have-acted.js';

/**
 * Runs a mutation's `act`; a failure it meets before any write of the request was sent, and that
 * its kind alone would keep as "may have acted" (a read's timeout or 5xx), becomes a
 * FailedBeforeAnyWrite, which frees the key. A bug (no GatewayError) stays as it is. Each write
 * counts as sent before it goes out (UpstreamBudget.spend), so a write that timed out is never here.
 */
export async function failuresBeforeAnyWriteFreed<T>(budget: UpstreamBudget | undefined, act: () => Promise<T>): Promise<T> {
  if (!budget) return act();
  const writesBefore = budget.writesSent;
  try {
    return await act();
  } catch (error) {
    if (budget.writesSent !== writesBefore || !isGatewayError(error) || !mayHaveActed(error)) throw error;
    throw new FailedBeforeAnyWrite(error);
  }
}
