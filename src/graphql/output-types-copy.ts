import {
  GraphQLInterfaceType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLUnionType,
  isInterfaceType,
  isIntrospectionType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLFieldConfig,
  type GraphQLFieldConfigMap,
  type GraphQLNamedType,
  type GraphQLOutputType,
} from 'graphql';

/** A field as the copy has it, from the field as the schema has it (its type already the copy's). */
export type FieldChange = (field: GraphQLFieldConfig<unknown, unknown>) => GraphQLFieldConfig<unknown, unknown>;

/**
 * The schema again with new object, interface and union types, each field passed through
 * `change`; the schema's own types, which graphql-jit compiles from, stay as they are. Inputs,
 * enums and scalars are shared: nothing of theirs names an output type. Every order is kept (an
 * input's fields are coerced in it). A type's own properties outside its config (@apollo/subgraph's
 * `resolveReference`) are not copied: only `_entities`, a Query field, reads them.
 */
export function withOutputFieldsChanged(schema: GraphQLSchema, change: FieldChange): GraphQLSchema {
  const copies = new Map<string, GraphQLNamedType>();
  const named = <T extends GraphQLNamedType>(type: T): T => (copies.get(type.name) as T | undefined) ?? type;
  const output = (type: GraphQLOutputType): GraphQLOutputType => {
    if (isNonNullType(type)) {
      const inner = output(type.ofType);
      // A non-null's type is never non-null; the check is what tells TypeScript so.
      return isNonNullType(inner) ? inner : new GraphQLNonNull(inner);
    }
    if (isListType(type)) return new GraphQLList(output(type.ofType));
    return named(type);
  };
  const fields = (map: GraphQLFieldConfigMap<unknown, unknown>) => (): GraphQLFieldConfigMap<unknown, unknown> =>
    Object.fromEntries(Object.entries(map).map(([name, field]) => [name, change({ ...field, type: output(field.type) })]));

  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type)) continue;
    if (isObjectType(type)) {
      const config = type.toConfig();
      copies.set(type.name, new GraphQLObjectType({ ...config, interfaces: () => config.interfaces.map(named), fields: fields(config.fields) }));
    } else if (isInterfaceType(type)) {
      const config = type.toConfig();
      copies.set(type.name, new GraphQLInterfaceType({ ...config, interfaces: () => config.interfaces.map(named), fields: fields(config.fields) }));
    } else if (isUnionType(type)) {
      const config = type.toConfig();
      copies.set(type.name, new GraphQLUnionType({ ...config, types: () => config.types.map(named) }));
    }
  }
  const config = schema.toConfig();
  return new GraphQLSchema({
    ...config,
    query: config.query && named(config.query),
    mutation: config.mutation && named(config.mutation),
    subscription: config.subscription && named(config.subscription),
    types: config.types.map(named),
  });
}
