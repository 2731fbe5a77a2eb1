import type { GraphQLResolveInfo } from 'graphql';
import { isGatewayError } from '../../domain/errors.js';
import { decodeId } from '../../domain/ids.js';
import type { InstanceListKind } from '../../domain/instance-lists.js';
import type { Operation } from '../../domain/types.js';
import { decodeBackupId, decodeDefinitionId, decodeScheduleId } from '../../gateway/ids.js';
import { nodeById, nodeTypeOf, type NodeModel } from '../../gateway/node-lookup.js';
import type { RequestReads } from '../../gateway/request-reads.js';

/** The one instance's list a lookup read its row in. */
export interface LookedIn {
  list: InstanceListKind;
  providerId: string;
  instanceNativeId: string;
}

const LIST_OF_TYPE: Readonly<Record<string, InstanceListKind>> = { Backup: 'backups', BackupSchedule: 'schedules', BackupDefinition: 'definitions' };
const DECODE: Readonly<Record<InstanceListKind, (id: string) => { providerId: string; instanceNativeId: string }>> = {
  backups: decodeBackupId,
  schedules: decodeScheduleId,
  definitions: decodeDefinitionId,
};

/** The list an id of a row of an instance's list is looked up in; null for any other id (an instance's, an operation's, a malformed one). */
export function lookedInById(id: string): LookedIn | null {
  try {
    const list = LIST_OF_TYPE[decodeId(id).type];
    if (list === undefined) return null;
    const { providerId, instanceNativeId } = DECODE[list](id);
    return { list, providerId, instanceNativeId };
  } catch {
    return null;
  }
}

/** A lookup came back without its row: null, or refused NOT_FOUND. Any other failure says nothing of the row. */
const foundNothing = (outcome: { value: unknown } | { error: unknown }): boolean =>
  'value' in outcome ? outcome.value === null : isGatewayError(outcome.error) && outcome.error.code === 'NOT_FOUND';

/**
 * A field that looked one row up in an instance's list (`backup(id:)`, `node`, `_entities`, an
 * operation's backup, a backup's definition) and found none names its path where that list left rows out and no field showing the list names one
 * (RowsLeftOut.readByLater): the row asked may be the one left out. Without it, that error came with
 * no path. A lookup that found its row says nothing of the list (RowsLeftOutBesideLookups). A
 * mutation that found nothing has no data beside its NOT_FOUND, and so no error of rows left out.
 */
export async function lookupAt<T>(reads: RequestReads, info: GraphQLResolveInfo, answer: Promise<T> | T, lookedIn: () => LookedIn | null): Promise<T> {
  let outcome: { value: unknown } | { error: unknown } = { value: undefined };
  try {
    const value = await answer;
    outcome = { value };
    return value;
  } catch (error) {
    outcome = { error };
    throw error;
  } finally {
    // The common answer, no list left a row out: nothing more is worked out.
    if (reads.rowsLeftOut.any && foundNothing(outcome)) {
      const place = lookedIn();
      // The list was read and noted under the instance's listed id (a Danube hostname re-spelt in
      // another case, RequestReads.listedInstanceId): named as the id spells it, it matched none.
      if (place !== null) reads.rowsLeftOut.readByLater([place.list], place.providerId, await reads.listedInstanceId(place.providerId, place.instanceNativeId), info.path);
    }
  }
}

/**
 * `operation(id:)`, whose status a provider without jobs (Zomro), or with a job forgotten (ZStack,
 * Danube), reads from its instance's backups, and so heard of a row left out of them. Where the
 * operation names its backup, that row is not it (a row left out has no id the gateway can read
 * back, and the operation's is one): nothing is said, as a lookup by id that found its row. Where
 * it names none (a create found by its name and time), the row left out may be its backup: the
 * error names this field. Either way it came with no path.
 */
export async function operationAt(reads: RequestReads, info: GraphQLResolveInfo, answer: Promise<Operation | null>): Promise<Operation | null> {
  const operation = await answer;
  if (operation !== null) operationLookedUp(reads, info, operation);
  return operation;
}

function operationLookedUp(reads: RequestReads, info: GraphQLResolveInfo, operation: Operation): void {
  if (operation.instanceNativeId === null || !reads.rowsLeftOut.any) return;
  if (operation.backupNativeId !== null) reads.rowsLeftOut.lookedUpIn('backups', operation.providerId, operation.instanceNativeId, true);
  else reads.rowsLeftOut.readByLater(['backups'], operation.providerId, operation.instanceNativeId, info.path);
}

/**
 * `node(id:)`: a row of an instance's list as lookupAt, an operation as operationAt. An operation
 * asked by `node` told a row left out beside it with no path, where `operation(id:)` said nothing
 * of it (one naming its backup) or named its own path (one naming none).
 */
export async function nodeAt(reads: RequestReads, info: GraphQLResolveInfo, id: string): Promise<NodeModel | null> {
  const node = await lookupAt(reads, info, nodeById(reads, id), () => lookedInById(id));
  if (node !== null && nodeTypeOf(node) === 'Operation') operationLookedUp(reads, info, node as Operation);
  return node;
}
