import { buildSchema, parse, validate, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { COST_ERROR_PREFIX, costLimitPlugin, costLimitRule, variableCostCheck, type CostOptions } from '../../src/graphql/limits/cost-rule.js';

const schema = buildSchema(`
  interface Node { id: ID! }
  type Disk { id: ID! size: Int }
  type Backup implements Node { id: ID! name: String }
  type BackupEdge { cursor: String! node: Backup! }
  type BackupConnection { edges: [BackupEdge!]! totalCount: Int! }
  type Instance implements Node {
    id: ID!
    name: String
    tags: [String!]!
    disks: [Disk!]!
    backups(first: Int, after: String): BackupConnection!
    lookup(ids: [ID!]): [Disk!]!
  }
  type InstanceEdge { cursor: String! node: Instance! }
  type InstanceConnection { edges: [InstanceEdge!]! totalCount: Int! }
  input Filter { ids: [ID!] sizes: [Int!] names: [String!] nested: Filter }
  type Query {
    instances(first: Int, after: String, last: Int, before: String, filter: Filter): InstanceConnection!
    node(id: ID!): Node
    nodes(ids: [ID!]!): [Node]!
    disks(sizes: [Int!], filter: Filter): [Disk!]!
    grid(rows: [[Int!]!]): Int
  }
  type Mutation { touch(ids: [ID!]!): [Instance!]! }
  type Subscription { ticks: Disk }
`);

const options = (maxCost: number, extra: Partial<CostOptions> = {}): CostOptions => ({ maxCost, assumedListSize: 5, maxPageSize: 100, ...extra });
const errorsOf = (query: string, opts: CostOptions) => validate(schema, parse(query), [costLimitRule(opts)]).map((error) => error.message);

/** The exact cost: accepted at `cost`, refused one below, with the cost in the message. */
function expectCost(query: string, cost: number, extra: Partial<CostOptions> = {}) {
  expect(errorsOf(query, options(cost, extra)), `${query} within ${cost}`).toEqual([]);
  expect(errorsOf(query, options(cost - 1, extra)), `${query} over ${cost - 1}`).toEqual([
    `${COST_ERROR_PREFIX}: ${cost} > ${cost - 1}. Ask for fewer items (first or last) or fewer nested lists.`,
  ]);
}

describe('query cost: every field costs 1, times how many times it runs', () => {
  it('a plain list runs its children assumedListSize times', () => {
    expectCost('{ disks { id size } }', 1 + 5 * 2);
    expectCost('{ disks { id } }', 1 + 3 * 1, { assumedListSize: 3 });
  });

  it('a field with first runs its children first times, the edges of a connection once per item', () => {
    // instances: 1 + 10 * edges(1 + node(1 + id))
    expectCost('{ instances(first: 10) { edges { node { id } } } }', 1 + 10 * (1 + (1 + 1)));
    expectCost('{ instances(first: 10) { totalCount edges { cursor node { id name } } } }', 1 + 10 * (1 + (1 + (1 + (1 + 2)))));
  });

  it('first: 0 counts as one, first without a value as 50, first as a variable as the page size cap', () => {
    expectCost('{ instances(first: 0) { totalCount } }', 1 + 1);
    expectCost('{ instances { totalCount } }', 1 + 50);
    expectCost('query ($n: Int) { instances(first: $n) { totalCount } }', 1 + 100);
    expectCost('query ($n: Int) { instances(first: $n) { totalCount } }', 1 + 7, { maxPageSize: 7 });
  });

  it('last counts as first does: its value, as a variable the page size cap, and with first the larger of the two', () => {
    expectCost('{ instances(last: 10) { edges { node { id } } } }', 1 + 10 * (1 + (1 + 1)));
    expectCost('{ instances(last: 0) { totalCount } }', 1 + 1);
    expectCost('query ($n: Int) { instances(last: $n) { totalCount } }', 1 + 100);
    expectCost('query ($n: Int) { instances(first: 2, last: $n) { totalCount } }', 1 + 100);
    expectCost('{ instances(first: 30, last: 4) { totalCount } }', 1 + 30);
  });

  it('lists of lists grow as they should', () => {
    // instances(first: 2) > edges > node > disks (5) > id, and backups (first defaults to 50) > totalCount.
    expectCost('{ instances(first: 2) { edges { node { disks { id } } } } }', 1 + 2 * (1 + (1 + (1 + 5 * 1))));
    expectCost('{ instances(first: 2) { edges { node { backups { totalCount } } } } }', 1 + 2 * (1 + (1 + (1 + 50 * 1))));
  });

  it('a scalar field costs 1 and a field the schema does not have costs nothing', () => {
    expectCost('{ node(id: "x") { id } }', 1 + 1);
    expect(validate(schema, parse('{ nothing { id } node(id: "x") { id } }'), [costLimitRule(options(2))])).toEqual([]);
  });

  it('a list of N ids runs its field N times, and returns those N items', () => {
    expectCost('{ nodes(ids: ["a", "b", "c"]) { id } }', 3 * (1 + 1 * 1));
    expectCost('mutation { touch(ids: ["a", "b"]) { id name } }', 2 * (1 + 2));
    // A single id where a list is expected is a list of one.
    expectCost('{ nodes(ids: "a") { id } }', 1 + 5 * 1);
  });

  it('a list of numbers is no list of ids: it does not multiply the field', () => {
    expectCost('{ disks(sizes: [1, 2, 3, 4, 5, 6]) { id } }', 1 + 5 * 1);
  });

  it('fragments and inline fragments cost what they select, in their own type', () => {
    expectCost('{ node(id: "x") { ... on Instance { name disks { id } } } }', 1 + (1 + (1 + 5)));
    expectCost('query { node(id: "x") { ...F } } fragment F on Instance { name tags }', 1 + (1 + 1));
    expectCost('{ node(id: "x") { ... { id } } }', 1 + 1);
    // A fragment that is not there, or spread twice in one path, adds nothing (validation refuses both anyway).
    expect(validate(schema, parse('{ node(id: "x") { ...Missing } }'), [costLimitRule(options(1))])).toEqual([]);
  });

  it('a fragment cycle ends (validation refuses it; the cost rule must not loop on it)', () => {
    const cyclic = 'query { node(id: "x") { ...A } } fragment A on Instance { name ...B } fragment B on Instance { id ...A }';
    expect(errorsOf(cyclic, options(1000))).toEqual([]);
    expect(errorsOf(cyclic, options(2))).toHaveLength(1);
  });

  it('prices mutations and subscriptions from their own roots', () => {
    expectCost('mutation { touch(ids: ["a"]) { id } }', 1 * (1 + 1));
    expectCost('subscription { ticks { id size } }', 1 + 2);
  });

  it('stops adding once far over the limit, still refusing', () => {
    const huge = `{ ${Array.from({ length: 50 }, (_, index) => `a${index}: instances(first: 100) { edges { node { disks { id } } } }`).join(' ')} }`;
    const [message] = errorsOf(huge, options(10));
    expect(message).toMatch(/^Query cost limit exceeded: \d+ > 10\./);
    expect(Number(/: (\d+) >/.exec(message ?? '')?.[1])).toBeLessThan(50 * 100 * 10);
  });
});

describe('list arguments, in the query and in variables', () => {
  const limits = { maxCost: 1_000_000, maxPageSize: 100, maxListArgument: 4 };
  const check = variableCostCheck(limits);
  const run = (query: string, variables: Record<string, unknown>, operationName?: string) => check(schema, parse(query), operationName, variables)?.message ?? null;

  it('adds up the items of every list argument, aliases included, refusing above maxListArgument', () => {
    expect(run('{ a: nodes(ids: ["1", "2"]) { id } b: nodes(ids: ["3", "4"]) { id } }', {})).toBeNull();
    expect(run('{ a: nodes(ids: ["1", "2"]) { id } b: nodes(ids: ["3", "4", "5"]) { id } }', {})).toBe(
      `${COST_ERROR_PREFIX}: list arguments of 5 items in all > 4 (limits.maxListArgument). Send fewer ids per request.`,
    );
  });

  it('reads lists given as variables, in input objects at any depth, and lists of lists', () => {
    const query = 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }';
    expect(run(query, { ids: ['1', '2', '3', '4'] })).toBeNull();
    expect(run(query, { ids: ['1', '2', '3', '4', '5'] })).toMatch(/list arguments of 5 items/);
    const filtered = 'query ($f: Filter) { disks(filter: $f) { id } }';
    expect(run(filtered, { f: { nested: { sizes: [1, 2, 3, 4, 5] } } })).toMatch(/list arguments of 5 items/);
    expect(run(filtered, { f: { nested: { sizes: [1, 2, 3, 4] }, unknown: [1, 2, 3, 4, 5, 6] } })).toBeNull();
    expect(run(filtered, { f: null })).toBeNull();
    expect(run(filtered, { f: [1, 2, 3, 4, 5] })).toBeNull();
    expect(run('query ($rows: [[Int!]!]) { grid(rows: $rows) }', { rows: [[1], [1, 2, 3, 4, 5]] })).toMatch(/list arguments of 5 items/);
    // One value where a list is expected is a list of one.
    expect(run('query ($rows: [[Int!]!]) { grid(rows: $rows) }', { rows: 3 })).toBeNull();
  });

  it('reads lists written in input objects and nested lists in the query', () => {
    expect(run('{ disks(filter: { nested: { names: ["a", "b", "c", "d", "e"] } }) { id } }', {})).toMatch(/list arguments of 5 items/);
    expect(run('{ disks(filter: { nested: { names: ["a", "b", "c", "d"] }, sizes: [1] }) { id } }', {})).toBeNull();
    expect(run('{ grid(rows: [[1], [1, 2, 3, 4, 5]]) }', {})).toMatch(/list arguments of 5 items/);
    expect(run('{ grid(rows: [1, 2, 3, 4]) }', {})).toBeNull();
  });

  it('a list of ids in variables multiplies its field: the cost counts it', () => {
    const pricey = variableCostCheck({ maxCost: 20, maxPageSize: 100, maxListArgument: 1000 });
    const query = 'query ($ids: [ID!]!) { nodes(ids: $ids) { id } }';
    expect(pricey(schema, parse(query), undefined, { ids: Array.from({ length: 10 }, String) })).toBeNull();
    expect(pricey(schema, parse(query), undefined, { ids: Array.from({ length: 11 }, String) })?.message).toBe(`${COST_ERROR_PREFIX}: 22 > 20. Ask for fewer items (first or last) or fewer nested lists.`);
  });

  it('counts a variable left out by its default in the document; one sent, null too, by its own value', () => {
    const query = 'query ($ids: [ID!] = ["1", "2", "3", "4", "5"]) { nodes(ids: $ids) { id } }';
    expect(run(query, {})).toMatch(/list arguments of 5 items/);
    expect(run(query, { ids: ['1'] })).toBeNull();
    expect(run(query, { ids: null })).toBeNull();
    // A default of an input object holding the list, and a default's list inside an object literal.
    expect(run('query ($f: Filter = { nested: { sizes: [1, 2, 3, 4, 5] } }) { disks(filter: $f) { id } }', {})).toMatch(/list arguments of 5 items/);
    expect(run('query ($s: [Int!] = [1, 2, 3, 4, 5]) { disks(filter: { sizes: $s }) { id } }', {})).toMatch(/list arguments of 5 items/);
    // At validation the variables are not known: a variable sent may replace its default.
    expect(errorsOf(query, options(6))).toEqual([]);
  });

  it('prices the operation asked for by name', () => {
    const document = 'query Small { node(id: "1") { id } } query Big { nodes(ids: ["1", "2", "3", "4", "5"]) { id } }';
    expect(run(document, {}, 'Small')).toBeNull();
    expect(run(document, {}, 'Big')).toMatch(/list arguments of 5 items/);
    expect(run(document, {}, 'Missing')).toBeNull();
  });

  it('the validation rule does not know maxListArgument; variables wait for run time', () => {
    expect(errorsOf('{ nodes(ids: ["1", "2", "3", "4", "5"]) { id } }', options(1000))).toEqual([]);
    expect(errorsOf('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', options(6))).toEqual([]);
  });
});

describe('the cost plugin (Apollo, once the operation is known)', () => {
  async function refusalOf(query: string, variables: Record<string, unknown> | undefined, limits = { maxCost: 1000, maxPageSize: 100, maxListArgument: 4 }) {
    const document: DocumentNode = parse(query);
    const operation = document.definitions.find((definition) => definition.kind === 'OperationDefinition');
    const plugin = costLimitPlugin(limits);
    const listener = await plugin.requestDidStart?.({} as never);
    const didResolve = (listener as { didResolveOperation?: (context: unknown) => Promise<void> } | undefined)?.didResolveOperation;
    try {
      await didResolve?.({ document, operation, request: { variables }, schema });
      return null;
    } catch (error) {
      return error as { message: string; extensions: Record<string, unknown> };
    }
  }

  it('refuses a long list in variables with HTTP 400, before any resolver', async () => {
    const refusal = await refusalOf('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['1', '2', '3', '4', '5'] });
    expect(refusal?.message).toBe(`${COST_ERROR_PREFIX}: list arguments of 5 items in all > 4 (limits.maxListArgument). Send fewer ids per request.`);
    expect(refusal?.extensions).toEqual({ http: { status: 400 } });
    expect(await refusalOf('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ['1', '2', '3', '4'] })).toBeNull();
  });

  it('refuses a list written in the query above maxListArgument, and passes a query without lists or variables', async () => {
    expect((await refusalOf('{ nodes(ids: ["1", "2", "3", "4", "5"]) { id } }', undefined))?.message).toMatch(/list arguments of 5 items/);
    // No variables, no list: its cost was settled by the validation rule.
    expect(await refusalOf('{ instances(first: 100) { edges { node { disks { id } } } } }', undefined, { maxCost: 10, maxPageSize: 100, maxListArgument: 4 })).toBeNull();
  });

  it('prices last given as a variable at the page size cap, whatever the variables hold', async () => {
    const query = 'query ($n: Int) { instances(last: $n) { totalCount } }';
    expect(await refusalOf(query, { n: 1 }, { maxCost: 101, maxPageSize: 100, maxListArgument: 4 })).toBeNull();
    expect((await refusalOf(query, { n: 1 }, { maxCost: 100, maxPageSize: 100, maxListArgument: 4 }))?.message).toBe(`${COST_ERROR_PREFIX}: 101 > 100. Ask for fewer items (first or last) or fewer nested lists.`);
  });

  it('prices first given as a variable at the page size cap', async () => {
    const query = 'query ($n: Int) { instances(first: $n) { totalCount } }';
    expect(await refusalOf(query, { n: 1 }, { maxCost: 101, maxPageSize: 100, maxListArgument: 4 })).toBeNull();
    expect((await refusalOf(query, {}, { maxCost: 100, maxPageSize: 100, maxListArgument: 4 }))?.message).toBe(`${COST_ERROR_PREFIX}: 101 > 100. Ask for fewer items (first or last) or fewer nested lists.`);
  });
});

/** `query { ...F0 }` where each fragment spreads the next twice: 2^depth paths in a document of depth + 2 lines. */
function doublingFragments(depth: number, leaf: string): string {
  const lines = ['query { ...F0 }'];
  for (let level = 0; level < depth; level++) lines.push(`fragment F${level} on Query { ...F${level + 1} ...F${level + 1} }`);
  lines.push(`fragment F${depth} on Query { ${leaf} }`);
  return lines.join('\n');
}

describe('fragments spread many times', () => {
  // Walking every path took a minute at depth 23 (a 1 KB document), holding the event loop: each fragment is measured once.
  it('a fragment spread twice at each of 16 levels is walked once per fragment and priced as every path', () => {
    // Counted, not timed: each visit of the leaf looks its field up on Query once; 2^16 visits before.
    const query = schema.getQueryType()!;
    const getFields = query.getFields.bind(query);
    let lookups = 0;
    query.getFields = () => {
      lookups += 1;
      return getFields();
    };
    const walk = (depth: number) => {
      lookups = 0;
      const errors = errorsOf(doublingFragments(depth, 'node(id: "x") { id }'), options(100_000));
      return { errors, lookups };
    };
    try {
      const [shallow, deep] = [walk(2), walk(16)];
      expect(shallow.errors).toEqual([]);
      expect(deep.errors).toEqual([`${COST_ERROR_PREFIX}: ${2 ** 16 * 2} > 100000. Ask for fewer items (first or last) or fewer nested lists.`]);
      expect(deep.lookups).toBe(shallow.lookups);
    } finally {
      query.getFields = getFields;
    }
  });

  it('__typename costs 1, so that chain is priced at its paths, not at nothing', () => {
    expectCost(doublingFragments(3, '__typename'), 2 ** 3);
    expectCost('{ __typename node(id: "x") { __typename id } }', 1 + (1 + 1 + 1));
  });

  it('a fragment spread in several places costs each time, its list arguments counted each time', () => {
    const twice = 'query { a: node(id: "x") { ...F } b: node(id: "y") { ...F } } fragment F on Instance { name disks { id } }';
    expectCost(twice, 2 * (1 + (1 + (1 + 5))));
    const lists = 'query { ...L ...L } fragment L on Query { nodes(ids: ["a", "b", "c"]) { id } }';
    expect(errorsOf(lists, options(1000, { maxListArgument: 6 }))).toEqual([]);
    expect(errorsOf(lists, options(1000, { maxListArgument: 5 }))).toEqual([
      `${COST_ERROR_PREFIX}: list arguments of 6 items in all > 5 (limits.maxListArgument). Send fewer ids per request.`,
    ]);
  });

  it('adds the list arguments of fields inside fields, through fragments too', () => {
    const nested = 'query { nodes(ids: ["a", "b"]) { ...L } } fragment L on Instance { lookup(ids: ["x", "y", "z"]) { id } }';
    expect(errorsOf(nested, options(100_000, { maxListArgument: 5 }))).toEqual([]);
    expect(errorsOf(nested, options(100_000, { maxListArgument: 4 }))).toEqual([
      `${COST_ERROR_PREFIX}: list arguments of 5 items in all > 4 (limits.maxListArgument). Send fewer ids per request.`,
    ]);
  });

  it('the same fragment on different types is priced in its own type each time', () => {
    const query = 'query { node(id: "x") { ...N } nodes(ids: ["a", "b"]) { ...N } } fragment N on Node { id ... on Instance { disks { id } } }';
    expectCost(query, (1 + (1 + (1 + 5))) + 2 * (1 + (1 + (1 + 5))));
  });
});
