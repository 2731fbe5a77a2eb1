import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { JitExecutor } from '../../src/graphql/jit-executor.js';

/**
 * Mutations run on a copy of the schema (serial-mutations.ts, output-types-copy.ts). The gateway's
 * schema has an interface (Node) and, with Federation, a union (_Entity) naming its object types:
 * a copy that kept either of them as it was would hold two types of one name, and every mutation
 * would fail. A made-up schema with both, each naming an object type, answered through the
 * gateway's executor as a query would be.
 */
const SCHEMA = `
  type Query { ok: Boolean }
  type Owner { id: ID! }
  interface Named { name: String! owner: Owner }
  interface Thing implements Named { name: String! owner: Owner }
  type Box implements Named & Thing { name: String! owner: Owner size: Int }
  type Bag { id: ID! owners: [Owner!]! }
  union Found = Box | Bag
  type Payload { named: Named thing: Thing found: [Found!]! }
  type Mutation { make: Payload! }
  type Subscription { made: Payload }
`;

function madeSchema() {
  const schema = buildSchema(SCHEMA);
  const box = { __typename: 'Box', name: 'box', owner: { id: 'o1' }, size: 3 };
  const bag = { __typename: 'Bag', id: 'bag', owners: [{ id: 'o2' }, { id: 'o3' }] };
  schema.getMutationType()!.getFields().make!.resolve = () => ({ named: box, thing: box, found: [box, bag] });
  return schema;
}

describe('a mutation on the schema copy', () => {
  it('answers fields of an interface and a union naming object types, and the object types behind them', async () => {
    const executor = new JitExecutor(madeSchema());
    const source = `mutation {
      make {
        named { name owner { id } ... on Box { size } }
        thing { ... on Named { name } }
        found { __typename ... on Box { name owner { id } } ... on Bag { id owners { id } } }
      }
    }`;
    const answer = await executor.execute({ document: parse(source), source, context: {} });
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({
      make: {
        named: { name: 'box', owner: { id: 'o1' }, size: 3 },
        thing: { name: 'box' },
        found: [
          { __typename: 'Box', name: 'box', owner: { id: 'o1' } },
          { __typename: 'Bag', id: 'bag', owners: [{ id: 'o2' }, { id: 'o3' }] },
        ],
      },
    });
  });
});
