import { INSTANCE_LIST_KINDS, type InstanceListKind } from '../../domain/instance-lists.js';
import { runRequestMutation } from '../../gateway/mutation-runner.js';
import type { MutationName } from '../../gateway/mutations.js';
import type { GraphQLContext } from '../context.js';

/** The schema's ProviderKind value as the gateway's filters compare it: the adapters' own (lower-case) word. */
export const kindFilter = (kind: string | null | undefined): string | null => (kind ? kind.toLowerCase() : null);

/** Which per-instance lists a query's instance nodes ask for (`protection` reads all three). */
export const listsWanted = (fields: ReadonlySet<string>): Set<InstanceListKind> => new Set(INSTANCE_LIST_KINDS.filter((kind) => fields.has(kind) || fields.has('protection')));

/** Every mutation: its role and scope checks, an audit line, and idempotency when the input has a key. */
export const guarded = <T>(context: GraphQLContext, operation: MutationName, input: object, act: () => Promise<T>): Promise<T> =>
  runRequestMutation(context.reads, operation, input, () => context.mutations.authorize(operation, input as Record<string, unknown>), act);
