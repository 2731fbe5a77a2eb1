import type { Operation } from '../domain/types.js';
import { backupLookedUpBy, backupOfOperation } from './entity-links.js';
import type { RequestReads } from './request-reads.js';

/**
 * An operation as one answer shows it beside its backup. A delete's status comes from one read
 * (ZStack's job, OnApp's transaction, a Zomro or Danube list) and its `backup` from another (the
 * instance's backup list, through the request's loaders); a delete that ended between the two
 * read RUNNING with `backup` null, where the schema promises DELETING until the delete ends and
 * null once it succeeded. The backup gone from the list it is read in is the delete done, as
 * each adapter already reads a delete whose job can no longer tell (Operation.succeededByAbsence):
 * so the answer says SUCCEEDED, from the very list read its `backup` field is answered with.
 * A create is the same the other way round: read RUNNING from its job or transaction (ZStack,
 * OnApp) or from the list a moment before (Zomro), its backup then read AVAILABLE (complete and
 * usable) beside RUNNING; the backup made is the create done, as each adapter reads it: SUCCEEDED.
 *
 * Not where that list left rows out for the instance (the backup may be among them), nor where
 * the gateway did not start the operation (a SUCCEEDED resting on absence alone is told only to
 * ids it started, RequestReads.vouchForAnswer); there the provider's status stands. A list that
 * fails leaves it too: the `backup` field tells that failure itself.
 */
export function operationAsShown(reads: RequestReads, operation: Operation): Operation | Promise<Operation> {
  if (operation.status !== 'RUNNING' && operation.status !== 'PENDING') return operation;
  if (operation.kind !== 'DELETE_BACKUP' && operation.kind !== 'CREATE_BACKUP') return operation;
  const address = backupLookedUpBy(operation);
  if (!address) return operation;
  let shown = memo.get(reads);
  if (!shown) memo.set(reads, (shown = new WeakMap()));
  let answer = shown.get(operation);
  if (!answer) shown.set(operation, (answer = endedBeside(reads, operation, address).catch(() => operation)));
  return answer;
}

/** Per request (each subscriber's loaders are its own), per operation object (each status of a subscription is a new one). */
const memo = new WeakMap<RequestReads, WeakMap<Operation, Promise<Operation>>>();

async function endedBeside(reads: RequestReads, operation: Operation, address: NonNullable<ReturnType<typeof backupLookedUpBy>>): Promise<Operation> {
  // The same lookup as the `backup` field's: the request's loaders read the list once for both.
  const backup = await backupOfOperation(reads, operation);
  if (operation.kind === 'CREATE_BACKUP') return backup?.status === 'AVAILABLE' ? { ...operation, status: 'SUCCEEDED', finishedAt: new Date(), error: null } : operation;
  if (backup !== null) return operation;
  const listed = await reads.listedInstanceId(address.providerId, address.instanceNativeId);
  if (reads.rowsLeftOut.has('backups', address.providerId, listed)) return operation;
  const adapter = reads.provider(operation.providerId);
  if (!adapter.toldOnlyWhereStarted(operation) && !(await reads.shared.startedOperations.wasStarted(operation, adapter.account.id, 'read'))) return operation;
  return { ...operation, status: 'SUCCEEDED', finishedAt: new Date(), error: null, succeededByAbsence: true };
}
