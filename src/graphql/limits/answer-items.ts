import { GraphQLError, defaultFieldResolver, getNullableType, isCompositeType, isListType, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { GatewayError } from '../../domain/errors.js';
import { COST_ERROR_PREFIX } from './cost-rule.js';

/** One execution's count of the items its lists of objects have held so far. */
interface Count {
  items: number;
  exceeded: boolean;
}

/**
 * The cost rule prices a list without `first` (an instance's backups) at a guess, and no provider
 * holds to a guess: a backup's instance has backups again, so each level of such lists multiplies
 * the answer by the real length (30 backups an instance, four levels: 810,000 items priced at
 * 625). So the items of every list of objects are counted as the list resolves, for each
 * execution (each query or mutation the executor runs, each update of a subscription), against
 * `limits.maxCost`; past it the lists that follow answer empty at once (nothing more is loaded or
 * built) and the execution's answer is one refusal.
 */
export class AnswerItemsGuard {
  private readonly counts = new WeakMap<object, Count>();
  private readonly refusal: GraphQLError;

  constructor(
    readonly limit: number,
    /** Told when an execution's lists first pass the limit, with the refusal its answer is (its answer need wait for nothing more). */
    private readonly onExceeded?: (context: object, refusal: GraphQLError) => void,
  ) {
    const message = `${COST_ERROR_PREFIX} as the query ran: its lists held more than ${limit} items (limits.maxCost; a list without first is priced at 5). Ask for fewer nested lists.`;
    this.refusal = new GraphQLError(message, { originalError: new GatewayError('QUERY_TOO_COMPLEX', message) });
  }

  /**
   * Wraps the resolver of every field whose type is a list of objects, interfaces or unions. In
   * place, before any query is compiled: graphql-jit reads resolvers when it compiles.
   */
  install(schema: GraphQLSchema): void {
    // graphql-js runs each of a subscription's updates through the root field's resolver, outside
    // the executor: each update is counted from there, and ended where it is sent (`end`).
    for (const field of Object.values(schema.getSubscriptionType()?.getFields() ?? {})) {
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        this.begin(context);
        return resolve(source, args, context, info);
      };
    }
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const nullable = getNullableType(field.type);
        if (!isListType(nullable) || !isCompositeType(getInnermost(nullable.ofType))) continue;
        field.resolve = this.counted(field.resolve ?? defaultFieldResolver);
      }
    }
  }

  /** Counts from zero for `context`'s execution (a query's or mutation's, a subscription's update); lists resolved outside one are not counted. */
  begin(context: unknown): void {
    if (typeof context === 'object' && context !== null) this.counts.set(context, { items: 0, exceeded: false });
  }

  /** Ends `context`'s execution: the refusal its answer is instead, or null when its lists stayed within the limit. */
  end(context: unknown): GraphQLError | null {
    if (typeof context !== 'object' || context === null) return null;
    const count = this.counts.get(context);
    this.counts.delete(context);
    return count?.exceeded ? this.refusal : null;
  }

  private counted(resolve: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> {
    return (source, args, context, info) => {
      const count = typeof context === 'object' && context !== null ? this.counts.get(context) : undefined;
      if (count === undefined) return resolve(source, args, context, info);
      if (count.exceeded) return [];
      const result = resolve(source, args, context, info);
      return result instanceof Promise ? result.then((list: unknown) => this.take(count, list, context as object)) : this.take(count, result, context as object);
    };
  }

  private take(count: Count, list: unknown, context: object): unknown {
    if (count.exceeded) return [];
    if (!Array.isArray(list)) return list;
    count.items += list.length;
    if (count.items <= this.limit) return list;
    count.exceeded = true;
    this.onExceeded?.(context, this.refusal);
    return [];
  }
}

/** A list's item type under any further lists and non-nulls. */
function getInnermost(type: Parameters<typeof getNullableType>[0]): unknown {
  let current = getNullableType(type);
  while (isListType(current)) current = getNullableType(current.ofType);
  return current;
}
