import { GraphQLError, type ExecutionResult } from 'graphql';
import { GatewayError } from '../domain/errors.js';
import { namesNoVm, type RowListName } from '../domain/row-left-out.js';
import type { ListLeftOut, RowsLeftOut } from '../gateway/rows-left-out.js';
import type { GraphQLContext } from './context.js';

/**
 * One error per list that left rows out, at each path that answered it (none claimed: no path),
 * beside the rows kept: the provider's INVALID_RESPONSE, as the whole list's failure was, but
 * with the rest of the list answered. The message is the gateway's; the row's text is never quoted.
 */
export function rowsLeftOutErrors(rowsLeftOut: RowsLeftOut): GraphQLError[] {
  const errors: GraphQLError[] = [];
  for (const entry of rowsLeftOut.entries()) {
    // Of no VM a client can name, and no account-wide field answered it: no answer lacks the row.
    if (entry.paths.length === 0 && namesNoVm(entry)) continue;
    const original = new GatewayError('PROVIDER_ERROR', messageOf(entry), { provider: entry.provider, providerCode: 'INVALID_RESPONSE' });
    const paths = entry.paths.length > 0 ? entry.paths : [undefined];
    for (const path of paths) errors.push(new GraphQLError(original.message, { path, originalError: original }));
  }
  return errors;
}

/**
 * What a list's rows are counted as: ZStack's backups count backups (a VM backup's group of volume
 * rows is one, its group uuid unreadable), not the volume rows ZStack sent. A schedules list's are
 * rows: OnApp leaves out a disk whose id cannot be used, its schedules unread and so uncounted.
 */
const COUNTED: Record<RowListName, [one: string, many: string]> = {
  instances: ['instance', 'instances'],
  backups: ['backup', 'backups'],
  definitions: ['definition', 'definitions'],
  schedules: ['row', 'rows'],
};

/** "the others answered" only where the list answered others: where none, every row was left out. */
function messageOf(entry: ListLeftOut): string {
  const [one, many] = COUNTED[entry.list];
  if (entry.othersAnswered === false) {
    const every = entry.rows === 1 ? `the only ${one}` : `every ${one} (${entry.rows})`;
    return `${entry.reason}: ${every} of its ${entry.list} list left out, none answered`;
  }
  const rows = entry.rows === 1 ? `one ${one}` : `${entry.rows} ${many}`;
  return `${entry.reason}: ${rows} left out of its ${entry.list} list${entry.othersAnswered === true ? ', the others answered' : ''}`;
}

/** The execution's answer with the errors of the lists its request left rows out of (none: as it was). */
export function withRowsLeftOut(result: ExecutionResult, context: unknown): ExecutionResult {
  // A context of another shape (none, in a test's executor) has no rows left out.
  const rowsLeftOut = (context as Partial<GraphQLContext> | null | undefined)?.reads?.rowsLeftOut;
  if (rowsLeftOut?.any !== true || !('data' in result) || result.data == null) return result;
  const errors = rowsLeftOutErrors(rowsLeftOut);
  return errors.length === 0 ? result : { ...result, errors: [...(result.errors ?? []), ...errors] };
}

/**
 * A subscription event's answer with the errors of the lists its reads left rows out of. graphql-ws
 * answers each event with graphql-js on the subscription's one context, not with the executor that
 * adds them to queries and mutations (jit-executor.ts): a subscriber of an operation whose backup
 * was not listed was told `backup: null` with no error, where `operation(id:)` had it at that path.
 * What was noted is forgotten after each event, which reads its lists afresh.
 */
export function eventWithRowsLeftOut(result: ExecutionResult, context: unknown): ExecutionResult {
  const answer = withRowsLeftOut(result, context);
  (context as Partial<GraphQLContext> | null | undefined)?.reads?.rowsLeftOut.startOver();
  return answer;
}
