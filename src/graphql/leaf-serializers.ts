import { isScalarType, type GraphQLScalarType, type GraphQLSchema } from 'graphql';

export type LeafSerializer = (value: unknown) => unknown;

/**
 * graphql-jit's `customSerializers` for the scalars that answer most of a dashboard's leaves: a
 * value already of the scalar's own JavaScript type is answered as it is, anything else goes to
 * the scalar's `serialize`, as before. For those values `serialize` answers the value itself
 * (graphql's String, ID and Boolean, graphql-scalars' SafeInt), but only after `serializeObject`
 * and its checks: some 0.2 M instructions a warm dashboard of ~8,000 leaves (callgrind). One
 * function per scalar, each with its own test written in, so V8 keeps each call site simple.
 * DateTime keeps its own serializer, whose check of a text is the point of it.
 */
export function leafSerializers(schema: GraphQLSchema): Record<string, LeafSerializer> {
  const serializers: Record<string, LeafSerializer> = {};
  const string = scalar(schema, 'String');
  if (string) serializers.String = (value) => (typeof value === 'string' ? value : string.serialize(value));
  const id = scalar(schema, 'ID');
  if (id) serializers.ID = (value) => (typeof value === 'string' ? value : id.serialize(value));
  const boolean = scalar(schema, 'Boolean');
  if (boolean) serializers.Boolean = (value) => (typeof value === 'boolean' ? value : boolean.serialize(value));
  const safeInt = scalar(schema, 'SafeInt');
  if (safeInt) serializers.SafeInt = (value) => (Number.isSafeInteger(value) ? value : safeInt.serialize(value));
  return serializers;
}

function scalar(schema: GraphQLSchema, name: string): GraphQLScalarType | null {
  const type = schema.getType(name);
  return isScalarType(type) ? type : null;
}
