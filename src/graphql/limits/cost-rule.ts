import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  getNamedType,
  getOperationAST,
  getNullableType,
  isInputObjectType,
  isListType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type InlineFragmentNode,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import { operationChecksPlugin, type OperationCheck } from '../operation-checks.js';
import { PROTECTION_JUDGEMENT_COST, judgesProtection } from './protection-filter-cost.js';
import { variablesWithDefaults } from './variables-with-defaults.js';

export interface CostOptions {
  maxCost: number;
  /** How many items a list without `first` is assumed to hold (backups per instance, say). */
  assumedListSize: number;
  /** What a `first` or `last` given as a variable is assumed to be: the page size cap. */
  maxPageSize: number;
  /** Most items the operation's list arguments may hold, all added up (`limits.maxListArgument`); unchecked when absent. */
  maxListArgument?: number | undefined;
}

export const COST_ERROR_PREFIX = 'Query cost limit exceeded';

/** Items of these types name things to load: a list of N of them runs its field N times. */
const ID_LIKE = new Set(['ID', 'String', '_Any']);

/** The arguments that say how many items a connection's page holds: Relay's forward and backward sizes. */
const PAGE_SIZE_ARGUMENTS = new Set(['first', 'last']);

/** Rows a list without `first` is assumed to hold (as in limits/index.ts). */
const ASSUMED_LIST_SIZE = 5;

type Variables = Readonly<Record<string, unknown>>;

/** What a field's arguments hold: the longest list anywhere in them, and the longest list of ids. */
interface ListSizes {
  longest: number;
  ids: number;
}

const NO_LISTS: ListSizes = { longest: 0, ids: 0 };
const larger = (a: ListSizes, b: ListSizes): ListSizes => ({ longest: Math.max(a.longest, b.longest), ids: Math.max(a.ids, b.ids) });

/** Lists in a variable's value (JSON), read against its input type. */
function listsInValue(value: unknown, type: GraphQLInputType): ListSizes {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    // GraphQL coerces a single value to a list of one.
    if (!Array.isArray(value)) return listsInValue(value, nullable.ofType);
    let sizes: ListSizes = { longest: value.length, ids: ID_LIKE.has(getNamedType(nullable.ofType).name) ? value.length : 0 };
    for (const item of value) sizes = larger(sizes, listsInValue(item, nullable.ofType));
    return sizes;
  }
  if (isInputObjectType(nullable) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const fields = nullable.getFields();
    let sizes = NO_LISTS;
    for (const [name, item] of Object.entries(value)) {
      const field = fields[name];
      if (field) sizes = larger(sizes, listsInValue(item, field.type));
    }
    return sizes;
  }
  return NO_LISTS;
}

/** Whether a value of this type can hold a list: listsInValue finds none in any other. */
function mayHoldList(type: GraphQLInputType): boolean {
  const nullable = getNullableType(type);
  return isListType(nullable) || isInputObjectType(nullable);
}

/** Lists in an argument as written in the query; variables are read when known (at run time), not at validation. */
function listsInNode(node: ValueNode, type: GraphQLInputType, variables: Variables | undefined): ListSizes {
  // A scalar or enum holds no list whatever its value: not read, so the cost of an operation whose
  // variables are all such is the same for every request (costWithVariables keeps it).
  if (node.kind === Kind.VARIABLE) return variables && mayHoldList(type) ? listsInValue(variables[node.name.value], type) : NO_LISTS;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    if (node.kind !== Kind.LIST) return listsInNode(node, nullable.ofType, variables);
    let sizes: ListSizes = { longest: node.values.length, ids: ID_LIKE.has(getNamedType(nullable.ofType).name) ? node.values.length : 0 };
    for (const item of node.values) sizes = larger(sizes, listsInNode(item, nullable.ofType, variables));
    return sizes;
  }
  if (isInputObjectType(nullable) && node.kind === Kind.OBJECT) {
    const fields = nullable.getFields();
    let sizes = NO_LISTS;
    for (const field of node.fields) {
      const definition = fields[field.name.value];
      if (definition) sizes = larger(sizes, listsInNode(field.value, definition.type, variables));
    }
    return sizes;
  }
  return NO_LISTS;
}

interface Measure {
  cost: number;
  /** Items in the operation's list arguments, added up over every field that takes one (aliases too). */
  listItems: number;
}

/**
 * A query's cost: every field costs 1, times how many times it runs. A field
 * with a `first` (or `last`) argument runs its children that many times; a plain list
 * `assumedListSize` times; the edges of a connection are already counted by
 * its `first`. So `instances(first: 500) { edges { node { backups { id } } } }`
 * costs about 500 * (3 + 5), and lists of lists grow as they should.
 *
 * A filter that judges every listed instance's protection (`instances(filter:
 * { protection })` or `{ rpoHours }`) prices each item of the page as a
 * `protection { status }` selection on it (protection-filter-cost.ts).
 *
 * A list of N ids (or `_entities` representations) in a field's arguments
 * runs the field N times: the field costs N times as much, and the list it
 * returns is those N items (not `assumedListSize`). Lists given as variables
 * are counted when the variables are known (`costLimitPlugin`), a variable
 * left out by its default.
 */
function measure(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, options: CostOptions, variables: Variables | undefined): Measure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  // Each fragment measured once per type it is spread on: a chain of
  // fragments each spreading the next twice is 2^n paths but n fragments, and
  // walking every path let a 1 KB document hold the event loop for a minute.
  const measuredFragments = new Map<string, Measure | 'measuring'>();

  const fieldOf = (type: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined =>
    isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;

  const listsOf = (node: FieldNode, field: GraphQLField<unknown, unknown>): ListSizes => {
    let sizes = NO_LISTS;
    for (const argument of node.arguments ?? []) {
      const definition = field.args.find((candidate) => candidate.name === argument.name.value);
      if (definition) sizes = larger(sizes, listsInNode(argument.value, definition.type, variables));
    }
    return sizes;
  };

  const multiplierOf = (node: FieldNode, field: GraphQLField<unknown, unknown>, parent: GraphQLNamedType, idItems: number): number => {
    // `last` pages as `first` does: priced alike, and a page with both is priced at the larger (the resolver refuses it anyway).
    const sizes = node.arguments?.filter((argument) => PAGE_SIZE_ARGUMENTS.has(argument.name.value)) ?? [];
    if (sizes.length > 0) return Math.max(...sizes.map((size) => (size.value.kind === Kind.INT ? Math.max(1, Number(size.value.value)) : options.maxPageSize)));
    if (field.args.some((argument) => argument.name === 'first')) return 50;
    if (!isListType(getNullableType(field.type))) return 1;
    if (idItems > 0) return 1;
    return parent.name.endsWith('Connection') ? 1 : options.assumedListSize;
  };

  const inlineMeasure = (fragment: InlineFragmentNode, parent: GraphQLNamedType): Measure => {
    const typeName = fragment.typeCondition?.name.value;
    return costOf(fragment.selectionSet, (typeName && schema.getType(typeName)) || parent);
  };

  const spreadMeasure = (spread: FragmentSpreadNode, parent: GraphQLNamedType): Measure => {
    const fragment = fragments.get(spread.name.value);
    if (!fragment) return NOTHING;
    const type = schema.getType(fragment.typeCondition.name.value) ?? parent;
    const key = `${fragment.name.value}\u0000${type.name}`;
    const known = measuredFragments.get(key);
    // A fragment that spreads itself (refused by graphql-js's NoFragmentCycles) adds nothing more.
    if (known === 'measuring') return NOTHING;
    if (known) return known;
    measuredFragments.set(key, 'measuring');
    const found = costOf(fragment.selectionSet, type);
    measuredFragments.set(key, found);
    return found;
  };

  const costOf = (selectionSet: SelectionSetNode, parent: GraphQLNamedType): Measure => {
    let cost = 0;
    let listItems = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = fieldOf(parent, selection.name.value);
        if (!field) {
          // __typename costs what a field costs (at 0, a chain of spreads of it cost nothing at any length);
          // a field the schema lacks is refused by validation.
          if (selection.name.value === '__typename') cost += 1;
          continue;
        }
        const lists = listsOf(selection, field);
        const inner = selection.selectionSet ? costOf(selection.selectionSet, getNamedType(field.type)) : NOTHING;
        // Each item of the page is judged as a `protection` selection on it would be, selected or not.
        const judged = judgesProtection(selection, field, variables) ? PROTECTION_JUDGEMENT_COST : 0;
        listItems += lists.longest + inner.listItems;
        cost += Math.max(1, lists.ids) * (1 + multiplierOf(selection, field, parent, lists.ids) * (inner.cost + judged));
      } else {
        const inner = selection.kind === Kind.INLINE_FRAGMENT ? inlineMeasure(selection, parent) : spreadMeasure(selection, parent);
        cost += inner.cost;
        listItems += inner.listItems;
      }
      if (cost > options.maxCost * 10) break;
    }
    return { cost, listItems };
  };

  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  return root ? costOf(operation.selectionSet, root) : NOTHING;
}

const NOTHING: Measure = { cost: 0, listItems: 0 };

/** The refusal, or null when the operation is within the limits. */
function refusal(found: Measure, options: CostOptions): string | null {
  if (options.maxListArgument !== undefined && found.listItems > options.maxListArgument) {
    return `${COST_ERROR_PREFIX}: list arguments of ${found.listItems} items in all > ${options.maxListArgument} (limits.maxListArgument). Send fewer ids per request.`;
  }
  if (found.cost > options.maxCost) return `${COST_ERROR_PREFIX}: ${found.cost} > ${options.maxCost}. Ask for fewer items (first or last) or fewer nested lists.`;
  return null;
}

/** The cost as a validation rule: lists written in the query count; lists in variables wait for `costLimitPlugin`. */
export function costLimitRule(options: CostOptions): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition(node) {
      const message = refusal(measure(context.getSchema(), context.getDocument(), node, options, undefined), options);
      if (message) context.reportError(new GraphQLError(message, { nodes: [node] }));
    },
  });
}

/** Whether a document's cost can depend on more than its text: it takes variables, or holds a list. */
const dependsOnInput = new WeakMap<DocumentNode, boolean>();
function mayHoldLists(document: DocumentNode): boolean {
  let answer = dependsOnInput.get(document);
  if (answer === undefined) {
    answer = document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION && (definition.variableDefinitions?.length ?? 0) > 0) || /\[/.test(document.loc?.source.body ?? '[');
    dependsOnInput.set(document, answer);
  }
  return answer;
}

/** Exported for its test: how many times an operation was walked with a request's variables, so a second use is seen to skip the walk. */
export const variableCostWalks = { count: 0 };

/**
 * The cost with a request's variables (a variable left out by its default), walked once per
 * operation when the walk did not read them: most documents with variables use them for ids and
 * page sizes (priced alike whatever their value), and were walked again on every request. Whether
 * the walk read them is seen, not guessed: it reads them through a proxy that notes every look.
 * Keyed by the operation's node, so an entry lives as long as the parsed document does (Apollo's
 * bounded document cache, or one WebSocket request).
 */
function costWithVariables(options: CostOptions) {
  const readsNoVariables = new WeakMap<OperationDefinitionNode, { readonly schema: GraphQLSchema; readonly found: Measure }>();
  return (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, sent: Variables): Measure => {
    const known = readsNoVariables.get(operation);
    if (known && known.schema === schema) return known.found;
    variableCostWalks.count += 1;
    let read = false;
    const noteRead = (): void => void (read = true);
    // Known only once the request's variables are: at validation a variable sent may replace its default.
    const variables = new Proxy(variablesWithDefaults(operation, sent), {
      get: (target, key, receiver) => (noteRead(), Reflect.get(target, key, receiver)),
      has: (target, key) => (noteRead(), Reflect.has(target, key)),
      getOwnPropertyDescriptor: (target, key) => (noteRead(), Reflect.getOwnPropertyDescriptor(target, key)),
      ownKeys: (target) => (noteRead(), Reflect.ownKeys(target)),
    });
    const found = measure(schema, document, operation, options, variables);
    if (!read) readsNoVariables.set(operation, { schema, found });
    return found;
  };
}

/**
 * The same cost with the request's variables, once the operation is known
 * and before any resolver runs: `_entities(representations: $r)` with 5,000
 * representations is refused here (QUERY_TOO_COMPLEX, HTTP 400) without a
 * single upstream call. Also enforces `maxListArgument`, which the
 * validation rule does not know. Apollo's side (operationChecksPlugin).
 */
export function costLimitCheck<T extends object>(limits: CostLimits): OperationCheck<T> {
  const options = costOptionsOf(limits);
  const cost = costWithVariables(options);
  return ({ document, operation, request, schema }) => {
    if (!operation || !mayHoldLists(document)) return null;
    const message = refusal(cost(schema, document, operation, request.variables ?? {}), options);
    return message ? new GraphQLError(message, { extensions: { http: { status: 400 } } }) : null;
  };
}

/** The check alone as a plugin (its tests); the gateway runs it among the others of `operationChecksPlugin`. */
export const costLimitPlugin = <T extends object>(limits: CostLimits): ApolloServerPlugin<T> => operationChecksPlugin([costLimitCheck<T>(limits)]);

type CostLimits = { maxCost: number; maxPageSize: number; maxListArgument: number };

const costOptionsOf = (limits: CostLimits): CostOptions => ({ maxCost: limits.maxCost, maxPageSize: limits.maxPageSize, maxListArgument: limits.maxListArgument, assumedListSize: ASSUMED_LIST_SIZE });

/**
 * `costLimitPlugin`'s check for paths outside Apollo (the WebSocket), so a
 * list passed in variables is priced the same whichever way it came.
 */
export function variableCostCheck(limits: CostLimits) {
  const options = costOptionsOf(limits);
  const cost = costWithVariables(options);
  return (schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown>): GraphQLError | null => {
    const operation = getOperationAST(document, operationName ?? undefined);
    if (!operation || !mayHoldLists(document)) return null;
    const message = refusal(cost(schema, document, operation, variables), options);
    return message ? new GraphQLError(message) : null;
  };
}
