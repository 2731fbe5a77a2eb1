import type { Logger } from 'pino';
import { isGatewayError } from '../domain/errors.js';
import { DEFAULT_MAX_BULK_INSTANCES } from './bulk-create.js';
import type { Idempotency } from './idempotency.js';
import type { MutationsRunning } from './mutations-running.js';
import type { Principal } from './principal.js';
import { auditSubjects } from './audit-subjects.js';
import { auditTargets } from './audit-targets.js';
import { scrubbedStrings, scrubbedTargets } from './audit-scrub.js';
import { isMutationResult } from './mutation-result-shape.js';
import type { RequestReads } from './request-reads.js';
import { failuresAfterWriteKept } from '../upstream/after-write-reached.js';
import { refusalsBeforeWriteUnsent } from '../upstream/refused-unsent.js';
import { failuresBeforeAnyWriteFreed } from '../upstream/before-any-write.js';

type MutationInput = { idempotencyKey?: string | null } & Record<string, unknown>;

/**
 * Wraps every mutation: idempotency when the input carries a key (after the
 * caller's role and scope are checked, so a record is never replayed to one
 * who could not have made the call), and one
 * JSON audit line (client, operation, what it acted on, targets, outcome, provider operation id)
 * whatever happens.
 */
export async function runMutation<T>(
  deps: {
    idempotency: Idempotency;
    audit: Logger;
    principal: Principal;
    /** Whose idempotency keys these are (idempotencyOwnerOf): the principal's key identity when absent. */
    idempotencyOwner?: string;
    requestId: string;
    /** The mutation's role and provider-scope checks (no upstream call): run before a record can be replayed. */
    authorize: () => void;
    /** What the mutation acted on, named for people (provider, native id, name where known); never reads upstream. */
    subjects?: (result: T | undefined) => Record<string, unknown>;
    /** Most ids of one list an audit line names (limits.maxBulkInstances); 100 when absent. */
    maxListed?: number;
    /** Where a mutation still running when the drain cuts it leaves the line it would not live to write. */
    running?: MutationsRunning;
    /** What the client's text in the line (targets, subjects) goes through: the scrubber of provider answers, every account's secrets. */
    scrub?: (text: string) => string;
  },
  operation: string,
  input: MutationInput,
  act: () => Promise<T>,
): Promise<T> {
  const { idempotencyKey, ...rest } = input;
  const scrub = deps.scrub;
  const targets = scrub === undefined ? auditTargets(input, deps.maxListed ?? DEFAULT_MAX_BULK_INSTANCES) : scrubbedTargets(auditTargets(input, deps.maxListed ?? DEFAULT_MAX_BULK_INSTANCES), scrub);
  const started = Date.now();
  // A replay acts on nothing: its line says so, or it read as the mutation done twice.
  let replayed = false;
  const replayMark = () => (replayed ? { replayed: true } : {});
  // The key's claim vanished from the store while this request acted (Redis flushed or failed over): a retry may have acted too.
  let claimLost = false;
  const claimMark = () => (claimLost ? { idempotencyClaimLost: true } : {});
  // One line per attempt: once the drain has written the cut line, the end that follows (the pools closing under it) writes none.
  let lineWritten = false;
  const auditOnce = (fields: Record<string, unknown>): void => {
    if (lineWritten) return;
    lineWritten = true;
    deps.audit.info({ audit: true, client: deps.principal.name, operation, ...fields, requestId: deps.requestId, ms: Date.now() - started }, 'mutation');
  };
  // Cut by the drain: the provider may have acted, and the client got no answer.
  const forgetCut = deps.running?.add(() => auditOnce({ ...subjectsOf(deps, undefined), targets, outcome: 'cut', ...replayMark(), ...claimMark() }));
  try {
    let result: T;
    if (idempotencyKey == null) result = await act();
    else {
      deps.authorize();
      result = await deps.idempotency.run(deps.idempotencyOwner ?? deps.principal.keyId, idempotencyKey, operation, rest, act, {
        onReplay: () => {
          replayed = true;
        },
        isResult: (recorded) => isMutationResult(operation, recorded),
        onClaimLost: () => {
          claimLost = true;
        },
      });
    }
    forgetCut?.();
    auditOnce({ ...subjectsOf(deps, result), targets, outcome: 'ok', ...replayMark(), ...claimMark(), providerOperationId: providerOperationIdOf(result) });
    return result;
  } catch (error) {
    forgetCut?.();
    auditOnce({ ...subjectsOf(deps, undefined), targets, outcome: isGatewayError(error) ? error.code : 'INTERNAL_SERVER_ERROR', ...replayMark(), ...claimMark() });
    throw error;
  }
}

/** An audit line is written whatever happens: a failure to describe the subjects leaves them out, nothing more. */
function subjectsOf<T>(deps: { subjects?: (result: T | undefined) => Record<string, unknown>; scrub?: (text: string) => string }, result: T | undefined): Record<string, unknown> {
  try {
    const subjects = deps.subjects?.(result) ?? {};
    return deps.scrub === undefined ? subjects : scrubbedStrings(subjects, deps.scrub);
  } catch {
    return {};
  }
}

function providerOperationIdOf(result: unknown): string | null {
  const operation = (result as { operation?: { providerOperationId?: unknown } } | null)?.operation;
  return typeof operation?.providerOperationId === 'string' ? operation.providerOperationId : null;
}

/**
 * `runMutation` for one request: its shared idempotency records and audit
 * log, its principal and id, and audit subjects named from what it looked up.
 */
export function runRequestMutation<T>(reads: RequestReads, operation: string, input: object, authorize: () => void, act: () => Promise<T>): Promise<T> {
  const fields = input as Record<string, unknown>;
  return runMutation(
    {
      idempotency: reads.shared.idempotency,
      audit: reads.shared.audit,
      principal: reads.principal,
      idempotencyOwner: reads.idempotencyOwner,
      requestId: reads.requestId,
      authorize,
      subjects: (result) => ({ ...auditSubjects(reads, fields, result) }),
      maxListed: reads.shared.options.maxBulkInstances ?? DEFAULT_MAX_BULK_INSTANCES,
      running: reads.shared.mutationsRunning,
      scrub: reads.shared.scrubClientText,
    },
    operation,
    fields,
    // A budget refusal before the mutation sent anything frees its idempotencyKey (refused-unsent.ts);
    // a failure of the gateway's side after a write reached the provider keeps it (after-write-reached.ts);
    // any failure before the mutation sent a write frees it (before-any-write.ts).
    () => failuresAfterWriteKept(reads.scope.budget, () => failuresBeforeAnyWriteFreed(reads.scope.budget, () => refusalsBeforeWriteUnsent(reads.scope.budget, act))),
  );
}
