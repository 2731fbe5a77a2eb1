import { GraphQLError, type ExecutionResult } from 'graphql';
import { GatewayError } from '../domain/errors.js';
import { namesNoVm } from '../domain/row-left-out.js';
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

function messageOf(entry: ListLeftOut): string {
  const rows = entry.rows === 1 ? 'one row' : `${entry.rows} rows`;
  return `${entry.reason}: ${rows} left out of its ${entry.list} list, the others answered`;
}

/** The execution's answer with the errors of the lists its request left rows out of (none: as it was). */
export function withRowsLeftOut(result: ExecutionResult, context: unknown): ExecutionResult {
  // A context of another shape (none, in a test's executor) has no rows left out.
  const rowsLeftOut = (context as Partial<GraphQLContext> | null | undefined)?.reads?.rowsLeftOut;
  if (rowsLeftOut?.any !== true || !('data' in result) || result.data == null) return result;
  const errors = rowsLeftOutErrors(rowsLeftOut);
  return errors.length === 0 ? result : { ...result, errors: [...(result.errors ?? []), ...errors] };
}
