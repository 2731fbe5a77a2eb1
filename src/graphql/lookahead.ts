import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Names of the fields a query selects on the nodes of a connection field
 * (`edges { node { ... } }`), through fragments and inline fragments. Lets a
 * list resolver start, beside the list itself, reads its nodes will need.
 */
export function selectedNodeFields(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): Set<string> {
  return selectedFieldsAt(info, ['edges', 'node']);
}

/** Names of the fields a query selects at `path` below the field being resolved (its own selection where empty). */
export function selectedFieldsAt(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: readonly string[]): Set<string> {
  const names = new Set<string>();
  const visit = (selectionSet: SelectionSetNode | undefined, path: readonly string[], seen: Set<string>) => {
    if (!selectionSet) return;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const [next, ...rest] = path;
        if (next === undefined) names.add(selection.name.value);
        else if (selection.name.value === next) visit(selection.selectionSet, rest, seen);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, path, seen);
      } else if (!seen.has(selection.name.value)) {
        // A fragment spread: each named fragment once (fragments may not cycle, but be sure).
        const fragment = info.fragments[selection.name.value];
        visit(fragment?.selectionSet, path, new Set([...seen, selection.name.value]));
      }
    }
  };
  for (const fieldNode of info.fieldNodes) visit(fieldNode.selectionSet, path, new Set());
  return names;
}
