import { GraphQLError, defaultFieldResolver, isUnionType, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/schema.js';
import { GatewayError } from '../domain/errors.js';
import { hasRole, type Principal } from '../gateway/principal.js';
import type { GraphQLContext } from './context.js';
import { createErrorFormatter, logRequestErrors, type ErrorFormatter } from './errors.js';
import { withEnumValues } from './enum-values-hint.js';
import { keepShown, schemaShownHere } from './schema-audience.js';
import { introspectionCheck } from './introspection.js';
import { AnswerItemsGuard } from './limits/answer-items.js';
import { AnswerSizeGuard } from './limits/answer-size.js';
import { JitExecutor } from './jit-executor.js';
import { RootRefusals } from './root-refusals.js';
import { variableCostCheck } from './limits/cost-rule.js';
import { nullVariablesCheck } from './null-variables.js';
import { wideVariablesCheck } from './variable-shape.js';
import { prototypeAliasRule } from './prototype-alias.js';
import { inheritedVariableNameRule } from './prototype-variable-names.js';
import { mayDirectSubscriptionRoot, subscriptionRootDirectiveRefusal } from './subscription-root-directives.js';
import { queryLimits, type QueryLimits } from './limits/index.js';
import { mergedFieldsError, mergedFieldsRefusal } from './limits/merged-fields.js';
import { nestingRefusal } from './limits/nesting.js';
import { fragmentChainRefusal, mayChainTooDeep } from './limits/fragment-chain.js';

export const SERVICE_FIELD_REFUSAL = '_service (the SDL for Apollo Federation composition) needs an admin key, or `introspection: true` in the config.';

/**
 * Everything a GraphQL request goes through, whatever carried it (HTTP via
 * Apollo Server, WebSocket via graphql-ws): the same parse limits, the same
 * validation rules (limits), the same introspection switch, the same
 * executor, the same error formatting and logging. Built once per gateway.
 */
export interface RequestPipeline {
  schema: GraphQLSchema;
  executor: JitExecutor;
  /** Counts the items of each execution's lists; a subscription's update ends its count where it is sent. */
  answerItems: AnswerItemsGuard;
  /** Measures an answer that may repeat what was read (limits.maxAnswerBytes); a subscription's update is measured where it is sent. */
  answerSize: AnswerSizeGuard;
  parseOptions: QueryLimits['parseOptions'];
  /** Rules added to graphql-js's specified ones. */
  validationRules: ValidationRule[];
  formatError: ErrorFormatter;
  /** Parses and validates a document outside Apollo (the WebSocket path), as Apollo does. */
  prepare(query: unknown): { document: DocumentNode; source: string } | { errors: GraphQLError[] };
  /**
   * With `introspection: false`, the refusal of a document's `__schema` or `__type` to a caller
   * without the admin role; null when it may run. Per request, after validation, for every
   * document however it came (Apollo's cached ones too).
   */
  introspectionRefusal(document: DocumentNode, principal: Principal): GraphQLError | null;
  /** The cost with the request's variables (a list of ids passed as a variable), then a variable sent null where a value is required; null when within the limits and none is. */
  checkVariables(document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown>): GraphQLError | null;
  /** Logs a request's errors with its request id (see logRequestErrors). */
  logErrors(requestId: string, errors: readonly GraphQLError[]): void;
}

/**
 * `scrubLogText`: what an error's message goes through before its log line. graphql-js quotes what
 * the client sent (an operation name, a variable's value), and a provider credential pasted
 * there was written to the log as sent; the client's answer keeps its own words.
 */
export function createRequestPipeline(config: Pick<GatewayConfig, 'introspection' | 'limits'>, schema: GraphQLSchema, logger: Logger, scrubLogText: (text: string) => string = (text) => text): RequestPipeline {
  guardServiceField(schema, config.introspection);
  guardEntitiesField(schema);
  const rootRefusals = new RootRefusals((context) => (context as Partial<GraphQLContext>).reads?.stopReads());
  const answerItems = new AnswerItemsGuard(config.limits.maxCost, (context, refusal) => rootRefusals.answerNow(context, refusal));
  answerItems.install(schema);
  const answerSize = new AnswerSizeGuard(schema, config.limits.maxAnswerBytes);
  rootRefusals.install(schema);
  const { parseOptions, validationRules: limitRules } = queryLimits(config.limits);
  const validationRules = [...limitRules, inheritedVariableNameRule, prototypeAliasRule];
  const rules = [...specifiedRules, ...validationRules];
  const formatError = createErrorFormatter({ introspection: config.introspection, hint: withEnumValues(schema), schemaShown: schemaShownHere, keepShown });
  const variableCost = variableCostCheck(config.limits);
  return {
    schema,
    executor: new JitExecutor(schema, answerItems, rootRefusals, answerSize),
    answerItems,
    answerSize,
    parseOptions,
    validationRules,
    formatError,
    prepare(query) {
      if (typeof query !== 'string') return { errors: [new GraphQLError('query must be a string', { extensions: { code: 'BAD_USER_INPUT' } })] };
      // Before the parser, which recurses into what is nested.
      const tooDeep = nestingRefusal(query, parseOptions.maxTokens);
      if (tooDeep) return { errors: [tooDeep] };
      let document: DocumentNode;
      try {
        document = parse(query, parseOptions);
      } catch (error) {
        return { errors: [error instanceof GraphQLError ? error : new GraphQLError('the query could not be parsed', { extensions: { code: 'BAD_USER_INPUT' } })] };
      }
      // Before validation, whose rules follow a chain of fragments by recursion.
      const chained = mayChainTooDeep(query) ? fragmentChainRefusal(document) : null;
      if (chained) return { errors: [chained] };
      // Before validation: its rule for overlapping fields is what such a query would cost.
      const merged = mergedFieldsRefusal(document);
      if (merged) return { errors: [mergedFieldsError(merged)] };
      // Before validation, which throws on such a subscription instead of answering.
      const directed = mayDirectSubscriptionRoot(query) ? subscriptionRootDirectiveRefusal(document) : null;
      if (directed) return { errors: [directed] };
      const errors = validate(schema, document, rules);
      return errors.length > 0 ? { errors: [...errors] } : { document, source: query };
    },
    introspectionRefusal: introspectionCheck(config.introspection),
    checkVariables: (document, operationName, variables) =>
      wideVariablesCheck(schema, document, operationName, variables) ?? variableCost(schema, document, operationName, variables) ?? nullVariablesCheck(schema, document, operationName, variables),
    logErrors: (requestId, errors) => logRequestErrors(logger, formatError, requestId, errors, scrubLogText),
  };
}

/**
 * `_service { sdl }` prints the whole schema, introspection by another name:
 * with introspection off only admin keys get it (a supergraph's composition
 * runs with one). The field's resolver is wrapped in place because
 * @apollo/subgraph defines it, and graphql-jit reads resolvers at compile time.
 */
function guardServiceField(schema: GraphQLSchema, introspection: boolean): void {
  if (introspection) return;
  const field = schema.getQueryType()?.getFields()._service;
  if (!field) return;
  const resolve = field.resolve ?? defaultFieldResolver;
  field.resolve = (source, args, context: GraphQLContext, info) => {
    if (!hasRole(context.reads.principal, 'admin')) throw new GatewayError('FORBIDDEN', SERVICE_FIELD_REFUSAL);
    return resolve(source, args, context, info);
  };
}

/** Names the first bad one, and what to send: a router sends a hundred, and "each must be" left the search to its owner. */
export const entityReferenceRefusal = (index: number, entityTypes: ReadonlySet<string>): string => {
  const names = [...entityTypes].sort();
  const listed = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names.join('');
  return `_entities(representations:): representations[${index}] is not a reference to an entity this subgraph resolves: send an object with its __typename (${listed}) and a string id.`;
};

/**
 * `_entities`, checked and made whole. It takes any JSON as a representation. @apollo/subgraph throws a
 * plain Error for a __typename the schema lacks, and hands a type that is no
 * entity (Query, Provider) the representation itself as the object, so a
 * client's mistake came back as an internal error (logged as a fault, counted
 * as one). Checked here, before any is resolved: the client's mistake, typed.
 */
function guardEntitiesField(schema: GraphQLSchema): void {
  const field = schema.getQueryType()?.getFields()._entities;
  const entityUnion = schema.getType('_Entity');
  if (!field || !isUnionType(entityUnion)) return;
  const entityTypes = new Set(entityUnion.getTypes().map((type) => type.name));
  const resolve = field.resolve ?? defaultFieldResolver;
  field.resolve = (source, args: { representations?: unknown }, context, info) => {
    const { representations } = args;
    // The schema types it [_Any!]!, so it is a list; the check keeps the types honest.
    const list: readonly unknown[] = Array.isArray(representations) ? representations : [representations];
    const bad = list.findIndex((representation) => !isEntityReference(representation, entityTypes));
    if (bad !== -1) throw new GatewayError('BAD_USER_INPUT', entityReferenceRefusal(bad, entityTypes));
    // Each reference resolved at its own index: what a lookup names by its path (a row left out,
    // lookup-paths.ts) names `_entities.N`, where a router finds the entity; `_entities` named none.
    const entities = list.map((representation, index) => {
      const one: unknown = resolve(source, { ...args, representations: [representation] }, context, { ...info, path: { prev: info.path, key: index, typename: undefined } });
      return Array.isArray(one) ? (one[0] as unknown) : one;
    });
    // One promise per reference. graphql-jit 0.8.9 writes a rejected list item's null with
    // push(), not at its index: a reference that failed before the others resolved left the
    // list short and misaligned (a router matches entities to references by position). An
    // Error as an item is put at its own index, with its error at its path, as graphql-js does.
    return Promise.all(entities.map((entity) => Promise.resolve(entity).catch(asItemError)));
  };
}

const asItemError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

function isEntityReference(representation: unknown, entityTypes: ReadonlySet<string>): boolean {
  if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) return false;
  const { __typename: typename, id } = representation as { __typename?: unknown; id?: unknown };
  return typeof typename === 'string' && Object.hasOwn(representation, '__typename') && entityTypes.has(typename) && typeof id === 'string';
}

/** Apollo's side of `logErrors`: every error of an HTTP request, logged once with the request id. */
export function errorLogPlugin(pipeline: RequestPipeline): ApolloServerPlugin<GraphQLContext> {
  // One listener, and one settled promise of it, for every request: it keeps nothing of one.
  const listener: GraphQLRequestListener<GraphQLContext> = {
    didEncounterErrors: async ({ contextValue, errors }) => pipeline.logErrors(contextValue.requestId, errors),
  };
  const started = Promise.resolve(listener);
  return { requestDidStart: () => started };
}
