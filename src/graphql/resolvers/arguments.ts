import { Kind, type GraphQLResolveInfo } from 'graphql';
import { badInput } from '../../domain/errors.js';
import { INSTANCE_LIST_KINDS, type InstanceListKind } from '../../domain/instance-lists.js';
import { operationsIn } from '../../gateway/finish-times.js';
import { runRequestMutation } from '../../gateway/mutation-runner.js';
import type { PageArgs } from '../../gateway/page-window.js';
import type { RequestReads } from '../../gateway/request-reads.js';
import type { MutationName } from '../../gateway/mutations.js';
import type { GraphQLContext } from '../context.js';

/** The schema's ProviderKind value as the gateway's filters compare it: the adapters' own (lower-case) word. */
export const kindFilter = (kind: string | null | undefined): string | null => (kind ? kind.toLowerCase() : null);

/**
 * A filter's list of allowed values: absent or null is no condition, and an
 * empty list is refused. "One of these statuses" with none given would match
 * nothing, while the gateway once read it as no filter; a client building
 * the list from a selection means one or the other, and only it knows which.
 */
export function allowedValues<T>(values: readonly T[] | null | undefined, argument: string): readonly T[] | null {
  if (values == null) return null;
  if (values.length === 0) throw badInput(`${argument} must name at least one value; leave it out (or null) for every value`);
  return values;
}

/**
 * A connection's page arguments as the query gave them. `first` has a
 * default (50) in the schema, kept from before `last` existed, so graphql
 * fills it in where the client sent `last` alone: read as given, that was
 * "both first and last" and refused. So `first` counts only where the query
 * names it: written in, or as a variable the request holds.
 */
export function pageArgs(args: PageArgs, info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'variableValues'>): PageArgs {
  const written = info.fieldNodes[0]?.arguments?.find((argument) => argument.name.value === 'first')?.value;
  const given = written !== undefined && (written.kind !== Kind.VARIABLE || info.variableValues[written.name.value] !== undefined);
  return { first: given ? (args.first ?? null) : null, after: args.after ?? null, last: args.last ?? null, before: args.before ?? null };
}

/** Which per-instance lists a query's instance nodes ask for (`protection` reads all three). */
export const listsWanted = (fields: ReadonlySet<string>): Set<InstanceListKind> => new Set(INSTANCE_LIST_KINDS.filter((kind) => fields.has(kind) || fields.has('protection')));

/**
 * Every mutation: its role and scope checks, an audit line, and idempotency when the input has a key.
 * The operations it starts are marked, so their finish time is kept (see FinishTimes).
 */
export const guarded = <T>(context: GraphQLContext, info: GraphQLResolveInfo, operation: MutationName, input: object, act: () => Promise<T>): Promise<T> =>
  writtenAt(context.reads, info, () => runRequestMutation(context.reads, operation, input, () => context.mutations.authorize(operation, input as Record<string, unknown>), () => marked(context.reads, act)));

/** A mutation run: rows left out of lists the write read (an adapter's look at what it made) are told at its path. */
export async function writtenAt<T>(reads: RequestReads, info: GraphQLResolveInfo, run: () => Promise<T>): Promise<T> {
  const mark = reads.rowsLeftOut.rowsNoted;
  const payload = await run();
  reads.rowsLeftOut.wroteAfter(mark, info.path);
  return payload;
}

/** `act`, with the operations of its payload marked as started here. */
export async function marked<T>(reads: RequestReads, act: () => Promise<T>): Promise<T> {
  const payload = await act();
  await reads.shared.finishTimes.started(operationsIn(payload));
  return payload;
}
