import { buildSchema, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { MAX_DIRECTIVES, isLimitRefusal, limitRefusalMessage, queryLimits } from '../../src/graphql/limits/index.js';

const schema = buildSchema(`
  type Disk { id: ID! size: Int }
  type Instance { id: ID! name: String disks: [Disk!]! parent: Instance }
  type Query { instance: Instance instances(first: Int): [Instance!]! }
`);

const limits = { maxDepth: 4, maxAliases: 2, maxCost: 100, maxTokens: 500, bodyLimitBytes: 2048, maxPageSize: 10 };
const rulesOf = (overrides: Partial<typeof limits> = {}) => queryLimits({ ...limits, ...overrides } as Parameters<typeof queryLimits>[0]).validationRules;
const errorsOf = (query: string, overrides: Partial<typeof limits> = {}) => validate(schema, parse(query), rulesOf(overrides)).map((error) => error.message);

describe('query limits', () => {
  it('hands the token and length limits to the parser', () => {
    expect(queryLimits(limits as Parameters<typeof queryLimits>[0]).parseOptions).toEqual({ maxTokens: 500, maxSourceLength: 2048 });
  });

  it('refuses a query deeper than maxDepth, as a limit refusal', () => {
    expect(errorsOf('{ instance { parent { parent { id } } } }')).toEqual([]);
    const [message] = errorsOf('{ instance { parent { parent { parent { parent { id } } } } } }');
    expect(message).toMatch(/Query depth limit of 4 exceeded/);
    expect(isLimitRefusal(message ?? '')).toBe(true);
  });

  it('refuses more aliases than maxAliases', () => {
    expect(errorsOf('{ a: instance { id } b: instance { id } }')).toEqual([]);
    const [message] = errorsOf('{ a: instance { id } b: instance { id } c: instance { id } }');
    expect(message).toMatch(/Aliases limit of 2 exceeded/);
    expect(isLimitRefusal(message ?? '')).toBe(true);
  });

  it(`refuses more than ${MAX_DIRECTIVES} directives`, () => {
    expect(MAX_DIRECTIVES).toBe(50);
    const directives = (count: number) => Array.from({ length: count }, () => '@include(if: true)').join(' ');
    expect(errorsOf(`{ instance { id ${directives(50)} } }`)).toEqual([]);
    const [message] = errorsOf(`{ instance { id ${directives(51)} } }`);
    expect(message).toMatch(/Directives limit of 50 exceeded/);
    expect(isLimitRefusal(message ?? '')).toBe(true);
  });

  it('prices lists with the configured maxCost, a list without first at 5 rows and first as a variable at maxPageSize', () => {
    // instances has `first`: without it 50 rows; the disks list inside it 5.
    expect(errorsOf('{ instances(first: 3) { disks { id } } }')).toEqual([]);
    expect(errorsOf('{ instances(first: 10) { disks { id size } } }')).toEqual(['Query cost limit exceeded: 111 > 100. Ask for fewer items (first or last) or fewer nested lists.']);
    expect(errorsOf('query ($n: Int) { instances(first: $n) { id name } }', { maxCost: 20 })).toEqual(['Query cost limit exceeded: 21 > 20. Ask for fewer items (first or last) or fewer nested lists.']);
  });

  it('leaves introspection to the per-caller check: no rule refuses __schema or __type', () => {
    // A rule's answer is kept per query text by Apollo, whoever asked (see src/graphql/introspection.ts).
    expect(errorsOf('{ __schema { queryType { name } } __type(name: "Instance") { name } }')).toEqual([]);
  });
});

describe('limit refusals in plain words', () => {
  it('recognises each limit refusal, with or without the parser prefix, and nothing else', () => {
    for (const message of [
      'Syntax Error: Query depth limit of 10 exceeded, found 12.',
      'Query depth limit of 10 exceeded, found 12.',
      'Syntax Error: Aliases limit of 30 exceeded, found 31.',
      'Token limit of 5000 exceeded, found 5001.',
      'Directives limit of 50 exceeded, found 51.',
      'Syntax Error: Document contains more than 5000 tokens. Parsing aborted.',
      'Syntax Error: Document contains more that 5000 tokens. Parsing aborted.',
      'Syntax Error: Source contains more than 1024 UTF-16 code units.',
      'Query cost limit exceeded: 12 > 10.',
    ]) {
      expect(isLimitRefusal(message), message).toBe(true);
    }
    for (const message of [
      'Syntax Error: Unexpected Name "x".',
      'Cannot query field "x" on type "Query".',
      'The Query depth limit of 10 exceeded',
      'Syntax Error: Document contains more than many tokens.',
      'Syntax Error: Source contains more than x UTF-16 code units.',
      'Document contains more than 5000 tokens.',
      'x Query cost limit exceeded',
    ]) {
      expect(isLimitRefusal(message), message).toBe(false);
    }
  });

  it('rewords the parser refusals and drops the "Syntax Error:" the client did not make', () => {
    expect(limitRefusalMessage('Syntax Error: Document contains more than 5000 tokens. Parsing aborted.')).toBe('Token limit of 5000 exceeded: send a shorter document.');
    expect(limitRefusalMessage('Syntax Error: Document contains more that 70 tokens. Parsing aborted.')).toBe('Token limit of 70 exceeded: send a shorter document.');
    expect(limitRefusalMessage('Syntax Error: Source contains more than 1024 UTF-16 code units.')).toBe('Document length limit of 1024 characters exceeded.');
    expect(limitRefusalMessage('Syntax Error: Query depth limit of 10 exceeded, found 12.')).toBe('Query depth limit of 10 exceeded, found 12 (limits.maxDepth): nest fewer selections in one request.');
    expect(limitRefusalMessage('Syntax Error: Aliases limit of 30 exceeded, found 31.')).toBe('Aliases limit of 30 exceeded, found 31 (limits.maxAliases): send fewer aliases in one request.');
    // A fixed limit has no config key to name.
    expect(limitRefusalMessage('Directives limit of 50 exceeded, found 51.')).toBe('Directives limit of 50 exceeded, found 51.');
    expect(limitRefusalMessage('Query cost limit exceeded: 12 > 10. Syntax Error: stays')).toBe('Query cost limit exceeded: 12 > 10. Syntax Error: stays');
  });
});
