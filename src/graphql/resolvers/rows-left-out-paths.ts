import { responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import type { RowListName } from '../../domain/row-left-out.js';
import type { Connection } from '../../domain/connection.js';
import type { Instance } from '../../domain/types.js';
import { decodeInstanceId } from '../../gateway/ids.js';
import type { RequestReads } from '../../gateway/request-reads.js';
import type { FilterReach } from '../../gateway/rows-a-filter-reads.js';
import { kindFilter } from './arguments.js';

/**
 * An instance's list as its field answers it, naming the field's path where the list left rows
 * out (RowsLeftOut.answersLater, settled when the execution ends). A list served at once from the
 * read cache never left any (such lists are not cached): only a list read in this request is noted.
 */
export function listAt<T>(reads: RequestReads, list: Exclude<RowListName, 'instances'>, instance: Pick<Instance, 'providerId' | 'nativeId'>, info: GraphQLResolveInfo, answer: Promise<T[]> | T[]): Promise<T[]> | T[] {
  if (answer instanceof Promise) reads.rowsLeftOut.answersLater(list, instance.providerId, instance.nativeId, info.path);
  return answer;
}

/** The lists of one instance its protection verdict reads. */
const VERDICT_LISTS: readonly RowListName[] = ['backups', 'schedules', 'definitions'];

/**
 * An instance's protection, naming the field's path where a list its verdict read left rows out
 * and no field showing that list names one (RowsLeftOut.readByLater). A verdict answered at once
 * was made where its lists were claimed (`instances(filter: { protection })`) or from none read here.
 */
export function verdictAt<T>(reads: RequestReads, instance: Pick<Instance, 'providerId' | 'nativeId'>, info: GraphQLResolveInfo, answer: Promise<T> | T): Promise<T> | T {
  if (answer instanceof Promise) reads.rowsLeftOut.readByLater(VERDICT_LISTS, instance.providerId, instance.nativeId, info.path);
  return answer;
}

/** A root field that answers accounts' instance lists (`instances`): names its path where they left rows out. */
export function instanceListsAt<T>(reads: RequestReads, info: GraphQLResolveInfo, answer: Promise<T>, filter: FieldFilter): Promise<T> {
  return listsAt(reads, INSTANCE_LISTS, info, answer, filter);
}

/**
 * A root field's arguments that choose the accounts and the VM it reads, as the client gave them
 * (the field's own arguments or filter object: nothing is built for them on the common answer).
 */
export interface FieldFilter {
  providerId?: string | null;
  /** As the schema spells it (`ZOMRO`). */
  kind?: string | null;
  instanceId?: string | null;
}

const INSTANCE_LISTS: ReadonlySet<RowListName> = new Set(['instances']);

/** The lists a protection verdict reads (protectionSummary, `instances(filter: { protection })`). */
export const EVERY_LIST: ReadonlySet<RowListName> = new Set(['instances', 'backups', 'schedules', 'definitions']);

/**
 * A root field whose answer is made of these lists of each account (`backups`: the instance and
 * backup lists; `protectionSummary`: every list its verdicts read): names its path where they left
 * rows out. Without it, the error of a row left out there came with no path at all. With a filter
 * naming accounts or a VM, only where the lists of those left rows out: a client filtering to one
 * VM was told its whole answer may lack a row of another VM, or of no VM.
 */
export async function listsAt<T>(reads: RequestReads, lists: ReadonlySet<RowListName>, info: GraphQLResolveInfo, answer: Promise<T>, filter: FieldFilter | null | undefined): Promise<T> {
  const value = await answer;
  if (reads.rowsLeftOut.any) reads.rowsLeftOut.claimLists(responsePathAsArray(info.path), lists, filter ? await reachOf(reads, filter) : undefined);
  return value;
}

/** The accounts and VM a filter read, worked out only where a row was left out. The field answered, so each part reads as it did there. */
async function reachOf(reads: RequestReads, filter: FieldFilter): Promise<FilterReach> {
  const named = filter.providerId != null || filter.kind != null;
  const providers = named ? new Set(reads.providers({ providerId: filter.providerId ?? null, kind: kindFilter(filter.kind) }).map((adapter) => adapter.account.id)) : null;
  return { providers, instance: filter.instanceId ? await listedInstance(reads, filter.instanceId) : null };
}

/**
 * The VM a filter names as its account lists it: its lists were read and noted under the listed id
 * (a Danube hostname re-spelt in another case, RequestReads.listedInstanceId), so the id as the
 * client wrote it matched none of them and a row left out of that VM's list lost its path.
 */
async function listedInstance(reads: RequestReads, instanceId: string): Promise<FilterReach['instance']> {
  const { providerId, nativeId } = decodeInstanceId(instanceId);
  return { providerId, nativeId: await reads.listedInstanceId(providerId, nativeId) };
}

/** A root field's connection whose providerErrors name VMs' lists it answered without: each is told at the field's path too. */
export async function instanceListsFailedAt<T>(reads: RequestReads, info: GraphQLResolveInfo, answer: Promise<Connection<T>>): Promise<Connection<T>> {
  const connection = await answer;
  if (connection.providerErrors.length > 0) reads.instanceListsFailed.claim(responsePathAsArray(info.path), connection.providerErrors);
  return connection;
}
