import { GraphQLBoolean, GraphQLID, GraphQLList, GraphQLObjectType, GraphQLSchema, GraphQLString, execute, parse, type GraphQLScalarType } from 'graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { describe, expect, it } from 'vitest';
import { JitExecutor } from '../../src/graphql/jit-executor.js';
import { leafSerializers } from '../../src/graphql/leaf-serializers.js';
import { buildSchema } from '../../src/graphql/schema.js';

/** What resolvers may hand a leaf: its own type, and everything `serialize` coerces or refuses. */
const values: unknown[] = [
  'text', '', 'é😀', 0, -0, 1, 1.5, -7, 2 ** 31, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, true, false, null, undefined,
  1n, { valueOf: () => 'from valueOf' }, { valueOf: () => 3 }, { toJSON: () => 'from toJSON' }, { plain: 1 }, [1, 2], new Date(0), Symbol('s'), () => 1,
];

const leaf = (type: GraphQLScalarType) => ({ type: new GraphQLList(type), resolve: () => values });
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: { string: leaf(GraphQLString), id: leaf(GraphQLID), boolean: leaf(GraphQLBoolean), safeInt: leaf(GraphQLSafeInt) },
  }),
});

describe('leafSerializers', () => {
  it('guard: answers every value of every common scalar as graphql-js does, the value and the error (its message and path) alike', async () => {
    const executor = new JitExecutor(schema);
    for (const field of ['string', 'id', 'boolean', 'safeInt']) {
      const source = `{ ${field} }`;
      const document = parse(source);
      const jit = await executor.execute({ document, source, context: {} });
      const reference = await execute({ schema, document, contextValue: {} });
      expect(jit.data).toEqual(reference.data);
      const errors = (result: typeof jit) => (result.errors ?? []).map((error) => ({ message: error.message, path: error.path })).sort((a, b) => String(a.path).localeCompare(String(b.path)));
      expect(errors(jit)).toEqual(errors(reference));
    }
  });

  it("guard: a value of the scalar's own type is answered as it is, as its serialize answers it", () => {
    const serializers = leafSerializers(schema);
    for (const value of values) {
      for (const [name, type] of [['String', GraphQLString], ['ID', GraphQLID], ['Boolean', GraphQLBoolean], ['SafeInt', GraphQLSafeInt]] as const satisfies ReadonlyArray<readonly [string, GraphQLScalarType]>) {
        const ours = serializers[name];
        if (!ours) throw new Error(`no serializer for ${name}`);
        let expected: unknown;
        try {
          expected = type.serialize(value);
        } catch (error) {
          expect(() => ours(value)).toThrow((error as Error).message);
          continue;
        }
        expect(Object.is(ours(value), expected)).toBe(true);
      }
    }
  });

  it("takes the gateway schema's own scalars, and none it does not have", () => {
    expect(Object.keys(leafSerializers(buildSchema())).sort()).toEqual(['Boolean', 'ID', 'SafeInt', 'String']);
    expect(Object.keys(leafSerializers(new GraphQLSchema({ query: new GraphQLObjectType({ name: 'Query', fields: { a: { type: GraphQLString } } }) }))).sort()).toEqual(['Boolean', 'String']);
  });
});
