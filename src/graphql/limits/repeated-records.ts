import { BREAK, TypeInfo, getNamedType, getNullableType, isListType, isObjectType, visit, visitWithTypeInfo, type DocumentNode, type GraphQLField, type GraphQLNamedType, type GraphQLSchema } from 'graphql';

/**
 * Fields leading to one record of a type others also lead to, which are their parent's own all
 * the same: a definition's schedule is its own (one each), an instance's last backup one of its own.
 */
const OWN_RECORDS: ReadonlySet<string> = new Set(['BackupDefinition.schedule', 'Protection.lastBackup']);

/**
 * Whether a document's answer may hold one record read (a backup, an instance, with its `note`
 * or `raw`) more times than it has root fields: an alias (of anything: `a: note b: note` too),
 * `_entities` (its representations may name one entity a thousand times), or a field leading from
 * a record to one that many share (a backup's `instance` or `definition`, a schedule's or a
 * definition's `instance`, an operation's `backup` or `instance`). A provider account is one
 * such, but its fields are the config's and short. Without any, each record read shows once per
 * path to it: the dashboard's lists, whose answers the upstream budget already bounds.
 */
export function repeatsRecords(schema: GraphQLSchema, document: DocumentNode): boolean {
  const roots = new Set<GraphQLNamedType | null | undefined>([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  const typeInfo = new TypeInfo(schema);
  let repeats = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const field = typeInfo.getFieldDef();
        const shared = parent !== null && parent !== undefined && field !== null && field !== undefined && !roots.has(parent) && leadsToSharedRecord(parent.name, field);
        if (node.alias === undefined && node.name.value !== '_entities' && !shared) return undefined;
        repeats = true;
        return BREAK;
      },
    }),
  );
  return repeats;
}

export function leadsToSharedRecord(parentName: string, field: GraphQLField<unknown, unknown>): boolean {
  const type = getNullableType(field.type);
  if (isListType(type)) return false;
  const named = getNamedType(type);
  if (!isObjectType(named) || named.name === 'Provider' || !named.getInterfaces().some((face) => face.name === 'Node')) return false;
  // A connection's edge leads to its own item.
  return !parentName.endsWith('Edge') && !OWN_RECORDS.has(`${parentName}.${field.name}`);
}
