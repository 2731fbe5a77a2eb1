import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAGMENT_CHAIN_REFUSAL, MAX_FRAGMENT_CHAIN } from '../../src/graphql/limits/fragment-chain.js';
import { MAX_NESTING, NESTING_REFUSAL } from '../../src/graphql/limits/nesting.js';
import { errorCodes, startHarness, withLimits, type Harness } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

/** An `_entities` argument of lists nested `depth` deep: few tokens per level, within the token limit up to about 2,500. */
const nestedLists = (depth: number) => `{ _entities(representations: ${'['.repeat(depth)}1${']'.repeat(depth)}) { __typename } }`;

/** A query spreading a chain of `links` fragments, each spreading the next. */
const fragmentChain = (links: number) =>
  `{ ...F0 } ${Array.from({ length: links }, (_, index) => `fragment F${index} on Query { ...F${index + 1} }`).join(' ')} fragment F${links} on Query { __typename }`;

/**
 * `gadgets` two-fragment cycles (A_i and X_i spreading each other), each A_i starting a chain of
 * `links` that ends in the next gadget's X: defined last gadget first, so a walk in definition
 * order meets each gadget's chain short, while the operation's spread of X0 leads through all of them.
 */
function chainHiddenByCycles(gadgets: number, links: number): string {
  const fragments: string[] = [];
  for (let gadget = gadgets - 1; gadget >= 0; gadget--) {
    fragments.push(`fragment A${gadget} on Query { ...X${gadget} ...L${gadget}_0 }`, `fragment X${gadget} on Query { ...A${gadget} }`);
    for (let link = 0; link < links; link++) {
      const next = link + 1 < links ? `...L${gadget}_${link + 1}` : gadget + 1 < gadgets ? `...X${gadget + 1}` : '__typename';
      fragments.push(`fragment L${gadget}_${link} on Query { ${next} }`);
    }
  }
  return `{ ...X0 } ${fragments.join(' ')}`;
}

/**
 * graphql-js parses, and graphql-jit compiles, nested values by recursion. Within the
 * default token limit, lists 2,000 deep ran the compiler out of stack: an internal error
 * over HTTP (500, logged as the gateway's fault) and the WebSocket closed with 4500; 2,400
 * deep the parser, answered "Maximum call stack size exceeded". With a larger token limit,
 * deeper still. Refused before any parse, on every path, as the other limits are.
 */
describe('the nesting limit, over HTTP and WebSocket', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withLimits({ maxTokens: 100_000 }) });
  });
  afterAll(() => harness.close());

  const expectRefused = (answer: { status: number; errors?: Array<{ message: string }> } & Parameters<typeof errorCodes>[0]) => {
    expect(answer.status).toBe(400);
    expect(errorCodes(answer)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(answer.errors?.[0]?.message).toBe(NESTING_REFUSAL);
  };

  it('refuses lists nested past the limit over HTTP with QUERY_TOO_COMPLEX (400), at any depth, logged below error level', async () => {
    for (const depth of [MAX_NESTING + 1, 2_000, 2_400, 40_000]) expectRefused(await harness.gql(nestedLists(depth)));
    const objects = `{ _entities(representations: [${'{ a: '.repeat(5_000)}1${'}'.repeat(5_000)}]) { __typename } }`;
    expectRefused(await harness.gql(objects));
    const selections = `{ ${'a { '.repeat(5_000)}b${' }'.repeat(5_000)} }`;
    expectRefused(await harness.gql(selections));
    const levels = harness.logs.map((line) => (JSON.parse(line) as { level: number }).level);
    expect(levels.filter((level) => level >= 50)).toEqual([]);
  });

  it('refuses it sent as a GET too', async () => {
    const response = await fetch(`${harness.gateway.graphqlUrl}?query=${encodeURIComponent(nestedLists(MAX_NESTING + 1))}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ errors: [{ message: NESTING_REFUSAL, extensions: { code: 'QUERY_TOO_COMPLEX' } }] });
  });

  it('refuses it sent as a GET behind 1,000 other parameters (express read no further, so the check saw no query; Apollo Server ran it)', async () => {
    const padding = 'a&'.repeat(1_000);
    for (const query of [nestedLists(MAX_NESTING + 1), fragmentChain(MAX_FRAGMENT_CHAIN + 1)]) {
      const response = await fetch(`${harness.gateway.graphqlUrl}?${padding}query=${encodeURIComponent(query)}`, { headers: { 'apollo-require-preflight': 'true' } });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors.map((error) => error.extensions.code)).toEqual(['QUERY_TOO_COMPLEX']);
    }
  });

  it('refuses it over WebSocket with the same error, the connection kept', async () => {
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      for (const depth of [2_000, 40_000]) {
        expect(await wsRun(client, nestedLists(depth))).toEqual({ errors: [{ message: NESTING_REFUSAL, extensions: { code: 'QUERY_TOO_COMPLEX' } }], refused: true });
      }
      expect(await wsRun(client, '{ providers { id } }')).toEqual({ data: { providers: [{ id: 'zomro-test' }] } });
    } finally {
      await client.dispose();
    }
  });

  it('takes nesting up to the limit, and brackets in strings and comments open nothing', async () => {
    const within = await harness.gql(nestedLists(MAX_NESTING - 4));
    expect(errorCodes(within)).toEqual(['BAD_USER_INPUT']);
    expect(within.errors?.[0]?.message).toMatch(/^_entities\(representations:\): representations\[0\] is not a reference/);
    const quoted = await harness.gql(`# ${'['.repeat(500)}\n{ node(id: "${'['.repeat(500)}") { id } }`);
    expect(quoted.errors?.[0]?.message).toBe("malformed id: send an id as the gateway answered it (e.g. an Instance's `id`), not a name or the provider's own id");
  });

  it('refuses a chain of fragments past its limit, HTTP and WebSocket alike: validation followed it by recursion', async () => {
    // 3,000 links (21,000 tokens, under a raised limits.maxTokens) ran validation's rules out of stack.
    const answer = await harness.gql(fragmentChain(3_000));
    expect(answer.status).toBe(400);
    expect(answer.errors).toEqual([{ message: FRAGMENT_CHAIN_REFUSAL, extensions: { code: 'QUERY_TOO_COMPLEX' } }]);
    expect((await harness.gql(fragmentChain(MAX_FRAGMENT_CHAIN + 1))).errors?.[0]?.message).toBe(FRAGMENT_CHAIN_REFUSAL);
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      expect(await wsRun(client, fragmentChain(3_000))).toEqual({ errors: [{ message: FRAGMENT_CHAIN_REFUSAL, extensions: { code: 'QUERY_TOO_COMPLEX' } }], refused: true });
    } finally {
      await client.dispose();
    }
    // A short chain is served; a cycle is still validation's to name.
    expect(await harness.gql(fragmentChain(3))).toMatchObject({ status: 200, data: { __typename: 'Query' } });
    const cycle = `{ ...F0 } ${Array.from({ length: 150 }, (_, index) => `fragment F${index} on Query { ...F${(index + 1) % 150} }`).join(' ')}`;
    expect((await harness.gql(cycle)).errors?.[0]?.message).toBe(FRAGMENT_CHAIN_REFUSAL);
    expect((await harness.gql('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }')).errors?.[0]?.message).toMatch(/^Cannot spread fragment "A" within itself/);
    const levels = harness.logs.map((line) => (JSON.parse(line) as { level: number }).level);
    expect(levels.filter((level) => level >= 50)).toEqual([]);
  });

  it('refuses a long chain hidden behind fragment cycles: graphql-armor\'s depth rule followed it by recursion (500)', async () => {
    // 60 gadgets of 52 links each: no chain past 52 in definition order, 3,120 from the operation.
    const hidden = chainHiddenByCycles(60, 50);
    const answer = await harness.gql(hidden);
    expect(answer.status).toBe(400);
    expect(answer.errors).toEqual([{ message: FRAGMENT_CHAIN_REFUSAL, extensions: { code: 'QUERY_TOO_COMPLEX' } }]);
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      expect(await wsRun(client, hidden)).toEqual({ errors: [{ message: FRAGMENT_CHAIN_REFUSAL, extensions: { code: 'QUERY_TOO_COMPLEX' } }], refused: true });
    } finally {
      await client.dispose();
    }
    // Too few fragments for a long chain: the cycle is validation's to name.
    const few = await harness.gql(chainHiddenByCycles(2, 10));
    expect(few.errors?.map((error) => error.message)).toContainEqual(expect.stringMatching(/^Cannot spread fragment "[AX]\d" within itself/));
    const levels = harness.logs.map((line) => (JSON.parse(line) as { level: number }).level);
    expect(levels.filter((level) => level >= 50)).toEqual([]);
  });
});
