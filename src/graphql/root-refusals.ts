import { type GraphQLError, defaultFieldResolver, isNonNullType, locatedError, responsePathAsArray, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { GatewayError } from '../domain/errors.js';

/** The first refusal of an execution's non-null root field (or its lists past limits.maxCost), and how to stop waiting for one. */
export interface RootRefusalWatch {
  readonly refused: Promise<GraphQLError>;
  /**
   * The errors of the answer given at that refusal, read as it is given: the failures of nullable
   * root fields known by then, in the order they came, and the refusal (alone for limits.maxCost).
   */
  errors(): readonly GraphQLError[];
  end(): void;
}

/** One watched execution: who hears its refusal, and what its early answer carries. */
interface Watched {
  readonly tell: (error: GraphQLError) => void;
  readonly errors: GraphQLError[];
  /** A refusal came: graphql-js names one failure that nulls `data`, so no later refusal is added. */
  refused: boolean;
  /** limits.maxCost's refusal: the answer is that one error (no graphql-js counterpart to match). */
  alone: boolean;
}

/**
 * A query whose non-null root field failed answers `data: null` whatever its other fields do, but
 * graphql-jit answers only once every field it started has settled: a `first: -5` beside a read of
 * a slow account waited for that read (its retries, or `limits.answerDeadlineMs`, whose 504 then
 * said the work was lost). This tells the executor of such a failure as it happens, so the answer
 * goes out at once and the request's reads stop (`onRefused`): a read shared with another request
 * loses only this one's waiter, as when a client leaves. That answer carries what graphql-js's
 * would: the one failure that nulled `data` (graphql-js names no later one) and the failures of
 * the nullable root fields known by the time it goes out; a failure deeper down beside it is in
 * graphql-jit's own error list, out of sight until it ends, and is left out.
 *
 * A mutation's fields run one after another and are non-null too: one refused makes `data` null,
 * and graphql-js, which runs a mutation document (serial-mutations.ts), runs none after it; its
 * reads still under way stop here as a query's do. graphql-js would run the next after a refusal
 * `answerNow` hears (lists past `limits.maxCost`, which answer empty from then on): its answer is
 * out, and a mutation run behind it would act unseen by its client, so each after it is refused
 * unrun.
 */
export class RootRefusals {
  private readonly watching = new WeakMap<object, Watched>();
  /** Executions whose `data` is null whatever comes next (a non-null mutation refused, or answered at a refusal): the rest of their mutations are not run. */
  private readonly refusedExecutions = new WeakSet<object>();

  constructor(private readonly onRefused: (context: object) => void) {}

  /**
   * Wraps the resolver of every Query field and non-null Mutation field, in place, before any query
   * is compiled (graphql-jit reads resolvers when it compiles). A nullable Query field is wrapped so
   * that its failure is in the early answer, as graphql-js answers the errors it had when `data`
   * became null: a `node(id: "bad")` beside `instances(first: -5)` answered the refusal alone.
   */
  install(schema: GraphQLSchema): void {
    for (const field of Object.values(schema.getQueryType()?.getFields() ?? {})) {
      field.resolve = isNonNullType(field.type) ? this.told(field.resolve ?? defaultFieldResolver) : this.noted(field.resolve ?? defaultFieldResolver);
    }
    for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
      if (isNonNullType(field.type)) field.resolve = this.told(this.unrunAfterRefusal(field.resolve ?? defaultFieldResolver));
    }
  }

  /** Listens for `context`'s execution's first root refusal until `end`. */
  watch(context: unknown): RootRefusalWatch | null {
    if (typeof context !== 'object' || context === null) return null;
    let watched: Watched | undefined;
    const refused = new Promise<GraphQLError>((tell) => {
      watched = { tell, errors: [], refused: false, alone: false };
      this.watching.set(context, watched);
    });
    const errors = watched?.errors ?? [];
    return { refused, errors: () => [...errors], end: () => this.watching.delete(context) };
  }

  /** A nullable root field's failure, kept for the early answer; nothing on its success but a look-up. */
  private noted(resolve: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> {
    return (source, args, context: unknown, info) => {
      let result: unknown;
      try {
        result = resolve(source, args, context, info);
      } catch (error) {
        this.note(context, error, info);
        throw error;
      }
      // The resolver's own promise goes to graphql-jit unchanged; this branch only hears its failure.
      if (result instanceof Promise && this.watched(context)) result.then(undefined, (error: unknown) => this.note(context, error, info));
      return result;
    };
  }

  private watched(context: unknown): Watched | undefined {
    return typeof context === 'object' && context !== null ? this.watching.get(context) : undefined;
  }

  private note(context: unknown, error: unknown, info: GraphQLResolveInfo): void {
    const watched = this.watched(context);
    if (watched && !watched.alone) watched.errors.push(locatedError(error, info.fieldNodes, responsePathAsArray(info.path)));
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
    this.answerAt(context, error, true);
  }

  private answerAt(context: unknown, error: GraphQLError, alone: boolean): void {
    if (typeof context !== 'object' || context === null) return;
    this.refusedExecutions.add(context);
    const watched = this.watching.get(context);
    if (!watched || watched.refused) return;
    watched.refused = true;
    if (alone) {
      watched.alone = true;
      watched.errors.splice(0, watched.errors.length, error);
    } else {
      watched.errors.push(error);
    }
    this.onRefused(context);
    watched.tell(error);
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
    if (this.watching.has(context)) this.answerAt(context, locatedError(error, info.fieldNodes, responsePathAsArray(info.path)), false);
  }
}
