import { withRowsLeftOut } from './rows-left-out-errors.js';
import { withInstanceListsFailed } from './instance-lists-failed-errors.js';
import type { GatewayGraphQLRequestContext, GatewayInterface, GatewaySchemaLoadOrUpdateCallback } from '@apollo/server-gateway-interface';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { GraphQLError, getOperationAST, print, printSchema, type DocumentNode, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { AnswerItemsGuard } from './limits/answer-items.js';
import type { AnswerSizeGuard } from './limits/answer-size.js';
import type { RootRefusals } from './root-refusals.js';
import { hoistScalarLiteralVariables, hoistedValues, type HoistedLiteral } from './scalar-literal-variables.js';
import { unidentifiedOperation } from './unidentified-operation.js';
import { serialMutations, type OperationRun } from './serial-mutations.js';
import { variableErrors } from './variable-errors.js';
import { leafSerializers, type LeafSerializer } from './leaf-serializers.js';
import { repeatedMutationField } from './limits/mutation-repeated-fields.js';

/** Distinct operations kept compiled; clients send a handful, GraphiQL users a few more. */
const MAX_COMPILED = 500;
/**
 * And at most this much query text between them: a compiled query holds
 * some 40 times its text, and 500 made-up 62 KB queries (within the token
 * and body limits) held 1.3 GB of heap. The dashboard's is under 1 KB.
 */
export const MAX_COMPILED_TEXT = 2_000_000;

export const SUBSCRIPTION_OVER_HTTP_MESSAGE = 'Subscriptions are served over WebSocket (the graphql-ws protocol) at /graphql, not over HTTP.';

export interface JitRequest {
  document: DocumentNode;
  operationName?: string | null | undefined;
  /** The query text the document was parsed from: the compile cache's key. */
  source?: string | undefined;
  context: unknown;
  variables?: Readonly<Record<string, unknown>> | null | undefined;
}

/** The compile cache's key for one document, and the operation name it was built with. */
interface CompileKey {
  operationName: string;
  key: string;
}

/** A compiled operation, with the scalar literals holding variables that were taken out of it. */
interface CompiledOperation {
  query: CompiledQuery | OperationRun;
  hoisted: readonly HoistedLiteral[];
  /** The operation as the client wrote it, for its variables' definitions (only when something was hoisted). */
  operation: OperationDefinitionNode | undefined;
  /** A mutation on graphql-js answers at its refusal itself, with every error it had by then: not raced. */
  answersAtRefusal: boolean;
}

/**
 * graphql-jit as the one executor of queries and mutations, over HTTP (as
 * Apollo Server's executor) and WebSocket (as graphql-ws's `execute`).
 * graphql-jit compiles each distinct operation once into a specialised
 * function, which serves a dashboard-sized answer several times cheaper than
 * graphql-js's generic walk (measured: see the README's benchmark).
 */
export class JitExecutor {
  private readonly compiled = new LRUCache<string, CompiledOperation>({ max: MAX_COMPILED, maxSize: MAX_COMPILED_TEXT, sizeCalculation: (_query, key) => Math.max(1, key.length) });
  /**
   * The compile cache's key of each document seen, built once: Apollo's document cache hands a warm
   * request the same document, and building the key (the whole query text, then hashing it in the
   * lookup) was a copy of the text per request. Only the key is kept here, not the compiled query,
   * so `compiled` stays the one bound on what is compiled; an entry lives as long as its document.
   */
  private readonly keyOfDocument = new WeakMap<DocumentNode, CompileKey>();
  /** The schema's common scalars answered without their `serialize` when a value is of their type already (leaf-serializers.ts). */
  private readonly customSerializers: Record<string, LeafSerializer>;

  constructor(
    readonly schema: GraphQLSchema,
    /** Counts the items of each execution's lists (installed on `schema`); none: not counted. */
    private readonly answerItems?: AnswerItemsGuard,
    /** Tells of a non-null Query field's failure as it happens: the answer, `data: null`, goes out then (root-refusals.ts). */
    private readonly rootRefusals?: RootRefusals,
    /** Measures a query's answer that may repeat what was read (limits.maxAnswerBytes); none: not measured. */
    private readonly answerSize?: AnswerSizeGuard,
  ) {
    this.customSerializers = leafSerializers(schema);
  }

  async execute(request: JitRequest): Promise<ExecutionResult> {
    const key = this.keyOf(request);
    let compiled = this.compiled.get(key);
    if (!compiled) {
      const built = this.compile(request);
      if (!('query' in built)) return built;
      compiled = built;
      this.compiled.set(key, compiled);
    }
    let variables = request.variables ?? {};
    if (compiled.hoisted.length > 0) {
      try {
        variables = { ...variables, ...hoistedValues(this.schema, compiled.operation, compiled.hoisted, variables) };
      } catch (error) {
        if (error instanceof GraphQLError) return { errors: [error] };
        throw error;
      }
    }
    this.answerItems?.begin(request.context);
    const refusal = this.rootRefusals?.watch(request.context);
    let result: ExecutionResult;
    let tooMany: GraphQLError | null;
    try {
      const run = Promise.resolve(compiled.query.query(undefined, request.context, variables));
      // The execution left behind when a refusal answers first settles as its stopped reads fail; its result is dropped.
      if (refusal) run.catch(() => undefined);
      result = refusal && !compiled.answersAtRefusal ? await Promise.race([run, refusal.refused.then(() => refusedAtRoot(refusal.errors()))]) : await run;
    } finally {
      refusal?.end();
      tooMany = this.answerItems?.end(request.context) ?? null;
    }
    // What was built before the lists ran past the limit is cut short: one refusal, not a partial answer.
    if (tooMany) return { data: null, errors: [tooMany] };
    // A mutation's answer says what acted: never refused, only cut where it leads to shared records (answer-size.ts).
    if (compiled.answersAtRefusal) result = this.answerSize?.cutMutationAnswer(request.document, request.operationName, result) ?? result;
    const tooLarge = compiled.answersAtRefusal ? null : (this.answerSize?.refusal(request.document, result.data) ?? null);
    if (tooLarge) return { data: null, errors: [tooLarge] };
    result = withInstanceListsFailed(withRowsLeftOut(result, request.context), request.context);
    if (!result.errors) return result;
    // No `data` at all: the request failed before execution (variable coercion), the client's mistake.
    if ('data' in result && result.data !== undefined) return { ...result, errors: result.errors.map(asStandardError) };
    return { errors: variableErrors(this.schema, request.document, request.operationName, request.variables, result.errors).map(asClientError) };
  }

  private compile(request: JitRequest): CompiledOperation | ExecutionResult {
    // A mutation runs on graphql-js: once one is null where it may not be, none after it runs (serial-mutations.ts).
    if (getOperationAST(request.document, request.operationName)?.operation === 'mutation') {
      // Before it acts: its answer, once it has, is never refused (answer-size.ts).
      const repeated = this.answerSize ? repeatedMutationField(request.document, request.operationName) : null;
      if (repeated) return { errors: [repeated] };
      return { query: serialMutations(this.schema, request.document, request.operationName), hoisted: [], operation: undefined, answersAtRefusal: true };
    }
    const { document, hoisted } = hoistScalarLiteralVariables(this.schema, request.document);
    const result = compileQuery(this.schema, document, request.operationName ?? undefined, { customSerializers: this.customSerializers });
    if (!isCompiledQuery(result)) return { errors: (result.errors ?? []).map(asClientError) };
    const operation = hoisted.length > 0 ? (getOperationAST(request.document, request.operationName) ?? undefined) : undefined;
    return { query: result, hoisted, operation, answersAtRefusal: false };
  }

  private keyOf(request: JitRequest): string {
    const operationName = request.operationName ?? '';
    const known = this.keyOfDocument.get(request.document);
    if (known?.operationName === operationName) return known.key;
    const key = `${operationName}\u0000${request.source ?? print(request.document)}`;
    this.keyOfDocument.set(request.document, { operationName, key });
    return key;
  }

  clear(): void {
    this.compiled.clear();
  }

  /** The query text of the operations kept compiled, in characters (bounded by MAX_COMPILED_TEXT). */
  get compiledText(): number {
    return this.compiled.calculatedSize;
  }
}

/**
 * Apollo Server with the JitExecutor. Apollo keeps everything before
 * execution (parsing with the token limit, validation with the limit rules,
 * the plugins, error formatting). Apollo Server only accepts a custom
 * executor through its gateway interface, so this is a "gateway" with one
 * fixed schema.
 */
export function jitExecutorForApollo(executor: JitExecutor): GatewayInterface {
  const { schema } = executor;
  let listener: GatewaySchemaLoadOrUpdateCallback | null = null;

  const execute = async (request: GatewayGraphQLRequestContext): Promise<ExecutionResult> => {
    const { operation } = request;
    // Apollo could not pick the operation (a name the document does not hold) and hands on its own
    // operationName, null, not the request's: the document's only operation ran, and Apollo, which
    // wants errors here, answered the client's typo as an internal error (500, logged as a fault).
    if (!operation) return { errors: [unidentifiedOperation(request.request.operationName, request.document)] };
    if (operation.operation === 'subscription') {
      return { errors: [new GraphQLError(SUBSCRIPTION_OVER_HTTP_MESSAGE, { extensions: { code: 'BAD_USER_INPUT' } })] };
    }
    return executor.execute({ document: request.document, operationName: request.operationName, source: request.source, context: request.context, variables: request.request.variables });
  };

  return {
    onSchemaLoadOrUpdate(callback) {
      listener = callback;
      return () => {
        listener = null;
      };
    },
    async load() {
      listener?.({ apiSchema: schema, coreSupergraphSdl: printSchema(schema) });
      return { executor: execute as NonNullable<Awaited<ReturnType<GatewayInterface['load']>>['executor']> };
    },
    async stop() {
      executor.clear();
    },
  };
}

/** The answer a query whose non-null root field failed has, whatever its other fields still do. */
function refusedAtRoot(errors: readonly GraphQLError[]): ExecutionResult {
  return { data: null, errors };
}

/**
 * graphql-jit's errors leave `extensions` undefined where graphql-js always
 * sets an object, and Apollo's error formatting reads `extensions.code`:
 * rebuild each as a standard GraphQLError, keeping path, locations and cause.
 */
function asStandardError(error: GraphQLError): GraphQLError {
  const standard = new GraphQLError(error.message, {
    ...(error.path ? { path: error.path } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
    extensions: error.extensions ?? {},
  });
  if (error.locations) Object.defineProperty(standard, 'locations', { value: error.locations, enumerable: true });
  return standard;
}

/** A variable the client got wrong: its message as the answer, no cause (a scalar's parse error is not a fault). */
function asClientError(error: GraphQLError): GraphQLError {
  const standard = new GraphQLError(error.message, { extensions: { ...error.extensions, code: 'BAD_USER_INPUT' } });
  if (error.locations) Object.defineProperty(standard, 'locations', { value: error.locations, enumerable: true });
  return standard;
}
