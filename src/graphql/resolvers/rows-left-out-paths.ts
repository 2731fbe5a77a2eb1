import { responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import type { RowListName } from '../../domain/row-left-out.js';
import type { Instance } from '../../domain/types.js';
import type { RequestReads } from '../../gateway/request-reads.js';

/**
 * An instance's list as its field answers it, naming the field's path where the list left rows
 * out (RowsLeftOut.answersLater, settled when the execution ends). A list served at once from the
 * read cache never left any (such lists are not cached): only a list read in this request is noted.
 */
export function listAt<T>(reads: RequestReads, list: Exclude<RowListName, 'instances'>, instance: Pick<Instance, 'providerId' | 'nativeId'>, info: GraphQLResolveInfo, answer: Promise<T[]> | T[]): Promise<T[]> | T[] {
  if (answer instanceof Promise) reads.rowsLeftOut.answersLater(list, instance.providerId, instance.nativeId, info.path);
  return answer;
}

/** A root field that answers accounts' instance lists (`instances`): names its path where they left rows out. */
export function instanceListsAt<T>(reads: RequestReads, info: GraphQLResolveInfo, answer: Promise<T>): Promise<T> {
  return listsAt(reads, INSTANCE_LISTS, info, answer);
}

const INSTANCE_LISTS: ReadonlySet<RowListName> = new Set(['instances']);

/** The lists a protection verdict reads (protectionSummary, `instances(filter: { protection })`). */
export const EVERY_LIST: ReadonlySet<RowListName> = new Set(['instances', 'backups', 'schedules', 'definitions']);

/**
 * A root field whose answer is made of these lists of each account (`backups`: the instance and
 * backup lists; `protectionSummary`: every list its verdicts read): names its path where they left
 * rows out. Without it, the error of a row left out there came with no path at all.
 */
export async function listsAt<T>(reads: RequestReads, lists: ReadonlySet<RowListName>, info: GraphQLResolveInfo, answer: Promise<T>): Promise<T> {
  const value = await answer;
  if (reads.rowsLeftOut.any) reads.rowsLeftOut.claimLists(responsePathAsArray(info.path), lists);
  return value;
}
