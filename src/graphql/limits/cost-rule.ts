import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';

export interface CostOptions {
  maxCost: number;
  /** How many items a list without `first` is assumed to hold (backups per instance, say). */
  assumedListSize: number;
  /** What a `first` given as a variable is assumed to be: the page size cap. */
  maxPageSize: number;
}

export const COST_ERROR_PREFIX = 'Query cost limit exceeded';

/**
 * A query's cost: every field costs 1, times how many times it runs. A field
 * with a `first` argument runs its children `first` times; a plain list
 * `assumedListSize` times; the edges of a connection are already counted by
 * its `first`. So `instances(first: 500) { edges { node { backups { id } } } }`
 * costs about 500 * (3 + 5), and lists of lists grow as they should.
 */
export function costLimitRule(options: CostOptions): ValidationRule {
  return (context: ValidationContext) => {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of context.getDocument().definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);

    const fieldOf = (type: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined =>
      isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;

    const multiplierOf = (node: FieldNode, field: GraphQLField<unknown, unknown>, parent: GraphQLNamedType): number => {
      const first = node.arguments?.find((argument) => argument.name.value === 'first');
      if (first) return first.value.kind === Kind.INT ? Math.max(1, Number(first.value.value)) : options.maxPageSize;
      if (field.args.some((argument) => argument.name === 'first')) return 50;
      if (!isListType(getNullableType(field.type))) return 1;
      return parent.name.endsWith('Connection') ? 1 : options.assumedListSize;
    };

    const costOf = (selectionSet: SelectionSetNode, parent: GraphQLNamedType, seen: Set<string>): number => {
      let total = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          const field = fieldOf(parent, selection.name.value);
          if (!field) continue;
          const child = getNamedType(field.type);
          const inner = selection.selectionSet ? costOf(selection.selectionSet, child, seen) : 0;
          total += 1 + multiplierOf(selection, field, parent) * inner;
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const typeName = selection.typeCondition?.name.value;
          const type = (typeName && context.getSchema().getType(typeName)) || parent;
          total += costOf(selection.selectionSet, type, seen);
        } else {
          const fragment = fragments.get(selection.name.value);
          if (!fragment || seen.has(fragment.name.value)) continue;
          const type = context.getSchema().getType(fragment.typeCondition.name.value) ?? parent;
          total += costOf(fragment.selectionSet, type, new Set([...seen, fragment.name.value]));
        }
        if (total > options.maxCost * 10) return total;
      }
      return total;
    };

    return {
      OperationDefinition(node) {
        const root = node.operation === 'query' ? context.getSchema().getQueryType() : node.operation === 'mutation' ? context.getSchema().getMutationType() : context.getSchema().getSubscriptionType();
        if (!root) return;
        const cost = costOf(node.selectionSet, root, new Set());
        if (cost > options.maxCost) context.reportError(new GraphQLError(`${COST_ERROR_PREFIX}: ${cost} > ${options.maxCost}. Ask for fewer items (first) or fewer nested lists.`, { nodes: [node] }));
      },
    };
  };
}
