import { GraphQLError, buildSchema, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { createErrorFormatter, formatGraphQLError } from '../../src/graphql/errors.js';
import { costLimitPlugin, costLimitRule } from '../../src/graphql/limits/cost-rule.js';
import { isLimitRefusal, limitRefusalMessage, queryLimits } from '../../src/graphql/limits/index.js';

const format = createErrorFormatter({ introspection: false });

describe('the error formatter: the edges', () => {
  it("reads a parse failure as BAD_USER_INPUT", () => {
    expect(format({ message: 'Syntax Error: Unexpected "}".', extensions: { code: 'GRAPHQL_PARSE_FAILED' } }, new GraphQLError('x'))).toEqual({ message: 'Syntax Error: Unexpected "}".', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('adds no retryAfterSeconds key when the error has none', () => {
    const formatted = formatGraphQLError(format, new GraphQLError('gone', { path: ['a'], originalError: new GatewayError('NOT_FOUND', 'gone') }));
    expect(Object.keys(formatted.extensions ?? {})).toEqual(['code']);
  });

  it('a GraphQLError with a code the schema does not list is a fault, not the client\'s mistake', () => {
    expect(format({ message: 'odd', extensions: { code: 'SOMETHING_ELSE' } }, new GraphQLError('odd')).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });

  it('strips a hint at the very start of a message too', () => {
    expect(format({ message: 'Did you mean "instances"? Unknown field.' }, new GraphQLError('x')).message).toBe(' Unknown field.');
  });

  it('looks through five wrappers at most, and survives a null or circular cause', () => {
    const wrap = (inner: unknown, times: number): unknown => (times === 0 ? inner : Object.assign(new Error('wrapper'), { originalError: wrap(inner, times - 1) }));
    const gatewayError = new GatewayError('NOT_FOUND', 'backup not found');
    expect(format({ message: 'x' }, wrap(gatewayError, 4)).extensions).toEqual({ code: 'NOT_FOUND' });
    expect(format({ message: 'x' }, wrap(gatewayError, 5)).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(format({ message: 'x' }, Object.assign(new Error('x'), { originalError: null })).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    const circular: Error & { originalError?: unknown } = new Error('me');
    circular.originalError = circular;
    expect(format({ message: 'x' }, circular).extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
  });
});

const schema = buildSchema(`
  scalar _Any
  interface Node { id: ID! }
  type Disk implements Node { id: ID! size: Int }
  type Backup implements Node { id: ID! name: String }
  union Thing = Disk | Backup
  input Filter { sizes: [Int!] nested: Filter }
  type Instance { id: ID! name: String disks: [Disk!]! parent: Instance }
  type Query {
    disks(filter: Filter): [Disk!]!
    byNames(names: [String!]!): [Disk!]!
    _entities(representations: [_Any!]!): [Node]!
    node(id: ID!): Node
    things: [Thing!]!
    instance: Instance
    instances(first: Int): [Instance!]!
  }
`);
const costOf = (query: string, maxCost: number) => validate(schema, parse(query), [costLimitRule({ maxCost, assumedListSize: 5, maxPageSize: 100 })]).map((error) => error.message);

describe('query cost: the edges', () => {
  it('a list of names or of entity representations runs its field once per item, like ids', () => {
    // Four items: 4 x (1 + 1), where a plain list would be 1 + 5 x 1.
    expect(costOf('{ byNames(names: ["a", "b", "c", "d"]) { id } }', 8)).toEqual([]);
    expect(costOf('{ byNames(names: ["a", "b", "c", "d"]) { id } }', 7)).toEqual(['Query cost limit exceeded: 8 > 7. Ask for fewer items (first or last) or fewer nested lists.']);
    expect(costOf('{ _entities(representations: [{a: 1}, {a: 2}, {a: 3}, {a: 4}]) { id } }', 7)).toEqual(['Query cost limit exceeded: 8 > 7. Ask for fewer items (first or last) or fewer nested lists.']);
  });

  it('prices unions by their fragments, and never throws on arguments validation will refuse', () => {
    expect(costOf('{ things { __typename ... on Disk { id } } }', 1000)).toEqual([]);
    expect(() => costOf('{ disks(filter: null) { id } }', 1000)).not.toThrow();
    expect(() => costOf('{ disks(filter: { unknown: [1, 2], sizes: [1] }) { id } }', 1000)).not.toThrow();
    expect(() => costOf('{ node(id: { a: 1 }) { id } }', 1000)).not.toThrow();
    expect(() => costOf('{ node(id: "x", bogus: [1, 2]) { id } }', 1000)).not.toThrow();
  });

  it('stops adding once over ten times the limit: the refusal names the cost so far', () => {
    // 100 so far is not over 10 x 10: the next field is added (102); 101 is over: nothing more is.
    expect(costOf('{ instances(first: 99) { id } node(id: "x") { id } }', 10)).toEqual(['Query cost limit exceeded: 102 > 10. Ask for fewer items (first or last) or fewer nested lists.']);
    expect(costOf('{ instances(first: 100) { id } node(id: "x") { id } }', 10)).toEqual(['Query cost limit exceeded: 101 > 10. Ask for fewer items (first or last) or fewer nested lists.']);
  });

  it('the refusal points at the operation', () => {
    const [error] = validate(schema, parse('{ instances(first: 100) { id } }'), [costLimitRule({ maxCost: 10, assumedListSize: 5, maxPageSize: 100 })]);
    expect(error?.locations).toEqual([{ line: 1, column: 1 }]);
  });

  it('the plugin prices variables of a document that also holds fragments', async () => {
    const document = parse('query ($f: Filter) { disks(filter: $f) { ...D } } fragment D on Disk { id }');
    const operation = document.definitions[0];
    const listener = await costLimitPlugin({ maxCost: 1000, maxPageSize: 100, maxListArgument: 4 }).requestDidStart?.({} as never);
    const didResolve = (listener as { didResolveOperation: (context: unknown) => Promise<void> }).didResolveOperation;
    await expect(didResolve({ document, operation, request: { variables: { f: { nested: { sizes: [1, 2, 3, 4, 5] } } } }, schema })).rejects.toThrow(/list arguments of 5 items/);
  });
});

describe('query limits: the edges', () => {
  const limits = { maxDepth: 4, maxAliases: 2, maxCost: 1_000_000, maxTokens: 100_000, bodyLimitBytes: 1_000_000, maxPageSize: 10 };
  const errorsOf = (query: string) =>
    validate(schema, parse(query), [...specifiedRules, ...queryLimits(limits as Parameters<typeof queryLimits>[0]).validationRules]).map((error) => error.message);

  it('introspection, where allowed, is not held to maxDepth', () => {
    expect(errorsOf('{ __schema { types { fields { type { ofType { ofType { name } } } } } } }')).toEqual([]);
  });

  it("graphql-armor does not block suggestions: the error formatter strips them, for every message", () => {
    expect(errorsOf('{ instance { nam } }')).toEqual(['Cannot query field "nam" on type "Instance". Did you mean "name"?']);
  });

  it("graphql-armor's own cost limit is off: our cost rule prices queries", () => {
    // graphql-armor would price these 800 fields, six levels down, above its default limit of 5,000.
    const deep = `{ instance { parent { parent { parent { parent { ${'id name '.repeat(400)} } } } } } }`;
    const rules = queryLimits({ ...limits, maxDepth: 10 } as Parameters<typeof queryLimits>[0]).validationRules;
    expect(validate(schema, parse(deep), [...specifiedRules, ...rules]).map((error) => error.message)).toEqual([]);
  });

  it('recognises a parser refusal only at the start of a message', () => {
    expect(isLimitRefusal('x Syntax Error: Document contains more than 5 tokens.')).toBe(false);
    expect(isLimitRefusal('x Syntax Error: Source contains more than 5 UTF-16 code units.')).toBe(false);
  });

  it('rewords a parser refusal only when the message starts with it', () => {
    expect(limitRefusalMessage('x Syntax Error: Document contains more than 5 tokens.')).toBe('x Syntax Error: Document contains more than 5 tokens.');
    expect(limitRefusalMessage('x Syntax Error: Source contains more than 5 UTF-16 code units.')).toBe('x Syntax Error: Source contains more than 5 UTF-16 code units.');
  });
});
