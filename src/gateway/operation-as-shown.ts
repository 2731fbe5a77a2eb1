import type { Operation } from '../domain/types.js';
import { backupLookedUpBy, backupOfOperation } from './entity-links.js';
import type { RequestReads } from './request-reads.js';
import { succeededAsShown } from './shown-before.js';

/**
 * An operation as one answer shows it beside its backup. A delete's status comes from one read
 * (ZStack's job, Danube's task, an OnApp or Zomro backup list) and its `backup` from another (the
 * instance's backup list, through the request's loaders); a delete that ended between the two
 * read RUNNING with `backup` null, where the schema promises DELETING until the delete ends and
 * null once it succeeded. The backup gone from the list it is read in is the delete done, as
 * each adapter already reads a delete whose job can no longer tell (Operation.succeededByAbsence):
 * so the answer says SUCCEEDED, from the very list read its `backup` field is answered with.
 * A create is the same the other way round: read RUNNING from its job or list a moment before,
 * its backup then read AVAILABLE (complete and usable) beside RUNNING; the backup made is the
 * create done, as each adapter reads it: SUCCEEDED.
 *
 * Not where that list left rows out for the instance (the backup may be among them); there the
 * provider's status stands. A list that fails leaves it too: the `backup` field tells that failure
 * itself. A SUCCEEDED resting on absence alone is told only to ids the gateway started, and no
 * running delete gets here otherwise: each read one was vouched for by its start record first
 * (RequestReads.vouchFor, a ZStack or Danube one; vouchForAnswer, a Zomro or OnApp one, its backup
 * still listed: Operation.noTraceAtProvider), and a mutation's answer is of the gateway's own.
 *
 * Looked at only where the answer asks for `backup` (its resolver calls this first): an answer
 * without it shows no backup to disagree with, and a poll of `status` alone costs no list read.
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

/**
 * The operation as shown where this answer's `backup` field looked at it (operationAsShown), else
 * as read. Graphql-js calls every resolver of an object before any promise settles, so one turn
 * later this object's own `backup` resolver has been called if it is selected. The same object
 * under another alias (`a: operation(id:) { status } b: operation(id:) { backup { id } }`, or
 * `node` beside `operation`: the request's loader answers one object for one id) is completed in
 * a later promise callback than this one: one microtask left `a` RUNNING beside `b` SUCCEEDED in
 * one answer, one id shown two ways. Waiting for the event loop's next check phase lets every
 * callback queued by the operation's read run first; no upstream call is waited for.
 */
export async function operationAsLookedAt(reads: RequestReads, operation: Operation): Promise<Operation> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  return (await memo.get(reads)?.get(operation)) ?? operation;
}

/** Per request (each subscriber's loaders are its own), per operation object (each status of a subscription is a new one). */
const memo = new WeakMap<RequestReads, WeakMap<Operation, Promise<Operation>>>();

async function endedBeside(reads: RequestReads, operation: Operation, address: NonNullable<ReturnType<typeof backupLookedUpBy>>): Promise<Operation> {
  // The same lookup as the `backup` field's: the request's loaders read the list once for both.
  const backup = await backupOfOperation(reads, operation);
  if (operation.kind === 'CREATE_BACKUP') return backup?.status === 'AVAILABLE' ? shownSucceeded(reads, operation) : operation;
  if (backup !== null) return operation;
  const listed = await reads.listedInstanceId(address.providerId, address.instanceNativeId);
  if (reads.rowsLeftOut.has('backups', address.providerId, listed)) return operation;
  return shownSucceeded(reads, operation);
}

/** Shown SUCCEEDED, and so noted (RequestReads.markShownSucceeded): a later read without `backup`, or on another replica, must not read RUNNING again. */
async function shownSucceeded(reads: RequestReads, operation: Operation): Promise<Operation> {
  const shown = succeededAsShown(operation);
  await reads.markShownSucceeded(shown);
  return shown;
}

