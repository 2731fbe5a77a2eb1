import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  getOperationAST,
  isListType,
  isNonNullType,
  isObjectType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { leadsToSharedRecord } from './repeated-records.js';

type Path = ReadonlyArray<string | number>;

/** A place in the answer a cut may fall on: a field's value or a list's item. */
interface Place {
  path: Path;
  nullable: boolean;
  /** The payload itself, or a record it holds as what acted (its operation, backup, schedule, definition): never cut. */
  identity: boolean;
}

/**
 * Where a mutation's answer past `limits.maxAnswerBytes` is cut: the paths, from its root fields,
 * of every field leading to a record others share (an operation's or a backup's `instance`, an
 * operation's `backup`, a backup's `definition`, a payload's `instance`). A mutation's answer says
 * what acted and cannot be refused (the client would not learn its operation's id), but such a
 * field led on to the same records again and again: `createBackup { operation { instance { backups
 * { instance { backups { raw } } } } } }` answered 2.3 MB past a 1 MiB limit. What stays is the
 * payload's own: its ids, status and operation, and the records it holds as what acted (the
 * payload's `backup`, `schedule`, `definition`, `operation`), which lead nowhere shared once cut.
 *
 * A cut field of a non-null type cuts at its nearest nullable ancestor that is not the payload's
 * identity; where there is none, nothing is cut there. Every such field of today's schema is
 * nullable. A field of an interface or union type is followed only where its value names its
 * `__typename`: no payload field of today's schema has one on the way to a cut.
 */
export function mutationAnswerCuts(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, data: Readonly<Record<string, unknown>>): Path[] {
  const operation = getOperationAST(document, operationName);
  const mutation = schema.getMutationType();
  if (!operation || operation.operation !== 'mutation' || !mutation) return [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const cuts: Path[] = [];

  const walkObject = (type: GraphQLObjectType, value: Record<string, unknown>, selections: readonly SelectionSetNode[], ancestors: readonly Place[], isRoot: boolean): void => {
    const parentIsRecord = type.getInterfaces().some((face) => face.name === 'Node');
    for (const [key, nodes] of fieldsByKey(type, selections, fragments)) {
      if (!(key in value)) continue;
      const field = type.getFields()[nodes[0]!.name.value];
      if (!field) continue;
      const path = [...ancestors.at(-1)?.path ?? [], key];
      const entry = value[key];
      const named = getNamedType(field.type);
      const cut = !isRoot && leadsToSharedRecord(type.name, field) && (parentIsRecord || named.name === 'Instance');
      if (cut) {
        if (entry === null || entry === undefined) continue;
        const place = isNonNullType(field.type) ? [...ancestors].reverse().find((ancestor) => ancestor.nullable && !ancestor.identity) : { path, nullable: true, identity: false };
        if (place) cuts.push(place.path);
        continue;
      }
      const here: Place = { path, nullable: !isNonNullType(field.type), identity: isRoot || !parentIsRecord };
      walkValue(field.type, entry, nodes, [...ancestors, here]);
    }
  };

  const walkValue = (type: GraphQLOutputType, value: unknown, nodes: readonly FieldNode[], ancestors: readonly Place[]): void => {
    if (value === null || value === undefined) return;
    const nullable = getNullableType(type);
    if (isListType(nullable)) {
      if (!Array.isArray(value)) return;
      const item: GraphQLOutputType = nullable.ofType;
      const identity = ancestors.at(-1)?.identity ?? false;
      value.forEach((entry, index) => walkValue(item, entry, nodes, [...ancestors, { path: [...ancestors.at(-1)!.path, index], nullable: !isNonNullType(item), identity }]));
      return;
    }
    if (typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    const objectType = isObjectType(nullable) ? nullable : typeof record.__typename === 'string' ? schema.getType(record.__typename) : undefined;
    if (!isObjectType(objectType)) return;
    const selections = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
    walkObject(objectType, record, selections, ancestors, false);
  };

  walkObject(mutation, data as Record<string, unknown>, [operation.selectionSet], [], true);
  // A cut moved up to an ancestor may hold others: the outermost is the one kept.
  const outermost = cuts.filter((cut) => !cuts.some((other) => other !== cut && other.length < cut.length && other.every((key, at) => cut[at] === key)));
  return outermost.filter((cut, at) => outermost.findIndex((other) => other.length === cut.length && other.every((key, index) => cut[index] === key)) === at);
}

/** The field nodes of a selection by response key, through fragments whose type condition the type meets (the directives' choices are the answer's: a key it lacks is passed over). */
function fieldsByKey(type: GraphQLObjectType, selectionSets: readonly SelectionSetNode[], fragments: ReadonlyMap<string, FragmentDefinitionNode>): Map<string, FieldNode[]> {
  const byKey = new Map<string, FieldNode[]>();
  const seen = new Set<string>();
  const applies = (condition: string | undefined): boolean => condition === undefined || condition === type.name || type.getInterfaces().some((face) => face.name === condition);
  const collect = (set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        byKey.set(key, [...(byKey.get(key) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value)) collect(selection.selectionSet);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value) || !applies(fragment.typeCondition.name.value)) continue;
        seen.add(fragment.name.value);
        collect(fragment.selectionSet);
      }
    }
  };
  for (const set of selectionSets) collect(set);
  return byKey;
}

/** `data` with null at each path, copied along them: the rest is shared with it (records as read, never changed). */
export function withNullsAt(data: Readonly<Record<string, unknown>>, paths: readonly Path[]): Record<string, unknown> {
  const copy = { ...data };
  for (const path of paths) {
    let at: Record<string | number, unknown> | unknown[] = copy;
    for (let step = 0; step < path.length - 1; step++) {
      const key = path[step]!;
      const next: unknown = (at as Record<string | number, unknown>)[key];
      const copied: Record<string, unknown> | unknown[] = Array.isArray(next) ? [...next] : { ...(next as Record<string, unknown>) };
      (at as Record<string | number, unknown>)[key] = copied;
      at = copied;
    }
    (at as Record<string | number, unknown>)[path.at(-1)!] = null;
  }
  return copy;
}

/** One error a cut place gets, at its path. */
export function cutError(message: string, path: Path, originalError: Error): GraphQLError {
  return new GraphQLError(message, { path, originalError });
}
