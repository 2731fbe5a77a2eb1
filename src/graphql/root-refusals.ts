import { type GraphQLError, defaultFieldResolver, isNonNullType, locatedError, responsePathAsArray, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { GatewayError } from '../domain/errors.js';

/** The first refusal of an execution's non-null root field (or its lists past limits.maxCost), and how to stop waiting for one. */
export interface RootRefusalWatch {
  readonly refused: Promise<GraphQLError>;
  end(): void;
}

/**
 * A query whose non-null root field failed answers `data: null` whatever its other fields do, but
 * graphql-jit answers only once every field it started has settled: a `first: -5` beside a read of
 * a slow account waited for that read (its retries, or `limits.answerDeadlineMs`, whose 504 then
 * said the work was lost). This tells the executor of such a failure as it happens, so the answer
 * goes out at once and the request's reads stop (`onRefused`): a read shared with another request
 * loses only this one's waiter, as when a client leaves.
 *
 * A mutation's fields run one after another and are non-null too: one refused makes `data` null,
 * and graphql-js, which runs a mutation document (serial-mutations.ts), runs none after it; its
 * reads still under way stop here as a query's do. graphql-js would run the next after a refusal
 * `answerNow` hears (lists past `limits.maxCost`, which answer empty from then on): its answer is
 * out, and a mutation run behind it would act unseen by its client, so each after it is refused
 * unrun.
 */
export class RootRefusals {
  private readonly listeners = new WeakMap<object, (error: GraphQLError) => void>();
  /** Executions whose `data` is null whatever comes next (a non-null mutation refused, or answered at a refusal): the rest of their mutations are not run. */
  private readonly refusedExecutions = new WeakSet<object>();

  constructor(private readonly onRefused: (context: object) => void) {}

  /** Wraps the resolver of every non-null Query and Mutation field, in place, before any query is compiled (graphql-jit reads resolvers when it compiles). */
  install(schema: GraphQLSchema): void {
    for (const field of Object.values(schema.getQueryType()?.getFields() ?? {})) {
      if (isNonNullType(field.type)) field.resolve = this.told(field.resolve ?? defaultFieldResolver);
    }
    for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
      if (isNonNullType(field.type)) field.resolve = this.told(this.unrunAfterRefusal(field.resolve ?? defaultFieldResolver));
    }
  }

  /** Listens for `context`'s execution's first root refusal until `end`. */
  watch(context: unknown): RootRefusalWatch | null {
    if (typeof context !== 'object' || context === null) return null;
    const refused = new Promise<GraphQLError>((resolve) => this.listeners.set(context, resolve));
    return { refused, end: () => this.listeners.delete(context) };
  }

  private told(resolve: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> {
    return (source, args, context: unknown, info) => {
      let result: unknown;
      try {
        result = resolve(source, args, context, info);
      } catch (error) {
        this.refuse(context, error, info);
        throw error;
      }
      if (!(result instanceof Promise)) return result;
      return result.catch((error: unknown) => {
        this.refuse(context, error, info);
        throw error;
      });
    };
  }

  /**
   * `context`'s execution is answered `data: null` with `error` whatever its fields still do: the
   * executor answers now and the request's reads stop. Also for a refusal made as the query ran
   * (AnswerItemsGuard: its lists passed `limits.maxCost`).
   */
  answerNow(context: unknown, error: GraphQLError): void {
    if (typeof context !== 'object' || context === null) return;
    this.refusedExecutions.add(context);
    const listener = this.listeners.get(context);
    if (!listener) return;
    this.listeners.delete(context);
    this.onRefused(context);
    listener(error);
  }

  private unrunAfterRefusal(resolve: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> {
    return (source, args, context: unknown, info) => {
      if (typeof context === 'object' && context !== null && this.refusedExecutions.has(context)) {
        throw new GatewayError('BAD_USER_INPUT', `${info.fieldName} was not run: a mutation before it in this document was refused; send it again`);
      }
      return resolve(source, args, context, info);
    };
  }

  private refuse(context: unknown, error: unknown, info: GraphQLResolveInfo): void {
    if (typeof context !== 'object' || context === null) return;
    if (info.operation.operation === 'mutation') this.refusedExecutions.add(context);
    if (this.listeners.has(context)) this.answerNow(context, locatedError(error, info.fieldNodes, responsePathAsArray(info.path)));
  }
}
