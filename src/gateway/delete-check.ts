import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { GatewayError } from '../domain/errors.js';
import type { Operation } from '../domain/types.js';
import type { ProviderAdapter } from '../providers/adapter.js';
import type { UpstreamScope } from '../upstream/scope.js';
import { MOST_DELETE_CHECKS_PER_LIST, checkDue, type DeletesByAccount, type DeletesInFlight } from './deletes-in-flight.js';
import { decodeOperationId } from './ids.js';

/** What a request lends the checks it starts. */
export interface DeleteCheckContext {
  readonly deletes: DeletesInFlight;
  readonly logger: Logger;
  readonly requestId: string;
  /** The account, where the request may see it. */
  findProvider(providerId: string): ProviderAdapter | null;
  /** A scope of the check's own: its budget is not the request's, and the client leaving does not abort it. */
  scope(): UpstreamScope;
  /** What a poll of the operation does with its status: a delete seen finished ends its record and forgets the reads it made stale. */
  afterOperation(operation: Operation): Promise<Operation>;
}

/**
 * Starts one look at the operation of each record these lists met that has gone unchecked for
 * DELETE_CHECKED_EVERY_MS, and does not wait for it: the list answers with the record as it is
 * (DELETING), and a later list (the dashboard's next refresh) shows what the check found. Waiting,
 * even within a small bound, would hold a warm list (a few ms) for a provider call (tens to
 * hundreds of ms) every period; unwaited, a request meeting records pays a clock read, and one
 * meeting none pays nothing. Each check is claimed in the shared store first, so the fleet makes
 * one per record per period however many lists meet it; one list claims at most
 * MOST_DELETE_CHECKS_PER_LIST of an account's records.
 */
export function checkDeletesDue(records: DeletesByAccount, context: DeleteCheckContext): void {
  const now = Date.now();
  for (const [providerId, deletes] of records) {
    const due = deletes
      .filter((record) => checkDue(record, now))
      .sort((a, b) => (a.checkedAt ?? 0) - (b.checkedAt ?? 0))
      .slice(0, MOST_DELETE_CHECKS_PER_LIST)
      .map((record) => record.operation);
    if (due.length > 0) void checkAccountDeletes(providerId, due, now, context);
  }
}

/**
 * Status calls one list's looks at one account make at once: the MOST_DELETE_CHECKS_PER_LIST a
 * list claims, sent together, took every one of the account's connection slots (16 by default)
 * from the clients' reads while they were out.
 */
export const DELETE_CHECKS_AT_ONCE = 4;

/**
 * One claim for all of an account's due records (a claim each raced for the same key), then a
 * look at each operation claimed, DELETE_CHECKS_AT_ONCE at a time. A look that fails ends its
 * line of looks: the provider is failing (or the gateway stopping), and the rest, claimed, are
 * looked at the next period, so an outage logs a few lines a period, not one per delete.
 */
async function checkAccountDeletes(providerId: string, operations: readonly string[], now: number, context: DeleteCheckContext): Promise<void> {
  let claimed: ReadonlySet<string>;
  try {
    claimed = await context.deletes.claimChecks(providerId, operations, randomUUID(), now);
  } catch (error) {
    context.logger.warn({ err: error, requestId: context.requestId, provider: providerId }, 'could not claim the looks at deletes in flight that no one polls; a list looks again (30 s)');
    return;
  }
  const waiting = claimed.values();
  const line = async (): Promise<void> => {
    for (const operation of waiting) if (!(await checkDelete(providerId, operation, context))) return;
  };
  await Promise.all(Array.from({ length: DELETE_CHECKS_AT_ONCE }, line));
}

/** One look at a delete's operation; false where it failed (logged). */
async function checkDelete(providerId: string, operation: string, context: DeleteCheckContext): Promise<boolean> {
  try {
    const ref = decodeOperationId(operation);
    const adapter = ref.providerId === providerId ? context.findProvider(providerId) : null;
    if (!adapter) return true;
    await context.afterOperation(await adapter.getOperation(ref, context.scope()));
    return true;
  } catch (error) {
    // A provider's failure (a GatewayError: its code and scrubbed message, never a credential) without a
    // stack, which says nothing here and would come every period; a fault of the gateway's own with it.
    const failure = error instanceof GatewayError ? { code: error.code, error: error.message } : { err: error };
    context.logger.warn(
      { ...failure, requestId: context.requestId, provider: providerId },
      'could not look at a delete in flight that no one polls; its backup reads DELETING until a list looks again (30 s) or the operation is polled',
    );
    return false;
  }
}
