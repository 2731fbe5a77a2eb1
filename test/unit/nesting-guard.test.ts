import type { NextFunction, Request, Response } from 'express';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { FRAGMENT_CHAIN_REFUSAL, MAX_FRAGMENT_CHAIN } from '../../src/graphql/limits/fragment-chain.js';
import { MAX_NESTING, NESTING_REFUSAL } from '../../src/graphql/limits/nesting.js';
import type { RequestPipeline } from '../../src/graphql/pipeline.js';
import { nestingGuard } from '../../src/server/nesting-guard.js';

/**
 * The HTTP guard in front of Apollo Server: a document nested or chained past its limit is
 * answered 400 QUERY_TOO_COMPLEX, logged with its request id and counted; any other request
 * goes on untouched. The pipeline here holds only what the guard reads (its parse options,
 * error formatter and log); test/security/query-nesting.test.ts runs the whole gateway.
 */
/** `depth` lists inside the braces and parentheses: 2 more open at once. */
const nestedLists = (depth: number) => `{ a(b: ${'['.repeat(depth)}1${']'.repeat(depth)}) }`;
const fragmentChain = (links: number) =>
  `{ ...F0 } ${Array.from({ length: links }, (_, index) => `fragment F${index} on Query { ...F${index + 1} }`).join(' ')} fragment F${links} on Query { __typename }`;

interface Seen {
  nexts: number;
  counted: string[];
  logged: Array<{ requestId: string; messages: string[] }>;
  status?: number;
  body?: unknown;
}

function guardRun(request: Partial<Request>, maxTokens = 100_000): Seen {
  const seen: Seen = { nexts: 0, counted: [], logged: [] };
  const pipeline = {
    parseOptions: { maxTokens },
    formatError: (formatted: GraphQLFormattedError) => ({ ...formatted, extensions: { ...formatted.extensions, formatted: true } }),
    logErrors: (requestId: string, errors: readonly GraphQLError[]) => void seen.logged.push({ requestId, messages: errors.map((error) => error.message) }),
  } as unknown as RequestPipeline;
  const res = {
    locals: { requestId: 'req-7' },
    status(code: number) {
      seen.status = code;
      return this;
    },
    json(body: unknown) {
      seen.body = body;
      return this;
    },
  } as unknown as Response;
  const next: NextFunction = () => void (seen.nexts += 1);
  void nestingGuard(pipeline, (code) => void seen.counted.push(code))({ method: 'POST', url: '/graphql', ...request } as Request, res, next);
  return seen;
}

const refusedWith = (message: string): Seen => ({
  nexts: 0,
  counted: ['QUERY_TOO_COMPLEX'],
  logged: [{ requestId: 'req-7', messages: [message] }],
  status: 400,
  body: { errors: [{ message, extensions: { code: 'QUERY_TOO_COMPLEX', formatted: true } }] },
});

describe('nestingGuard: the nesting and fragment-chain limits over HTTP', () => {
  it('refuses a document nested past the limit: 400 QUERY_TOO_COMPLEX through the formatter, logged with the request id, counted', () => {
    expect(guardRun({ body: { query: nestedLists(MAX_NESTING + 1) } })).toEqual(refusedWith(NESTING_REFUSAL));
  });

  it('refuses a chain of fragments past the limit alike', () => {
    expect(guardRun({ body: { query: fragmentChain(MAX_FRAGMENT_CHAIN + 1) } })).toEqual(refusedWith(FRAGMENT_CHAIN_REFUSAL));
  });

  it('reads a GET\'s query from its URL', () => {
    const url = `/graphql?query=${encodeURIComponent(nestedLists(MAX_NESTING + 1))}`;
    expect(guardRun({ method: 'GET', url })).toEqual(refusedWith(NESTING_REFUSAL));
  });

  it('passes on, untouched, what is within both limits, what carries no query text, and what does not parse', () => {
    const passed: Seen = { nexts: 1, counted: [], logged: [] };
    for (const body of [
      { query: nestedLists(MAX_NESTING - 2) },
      { query: fragmentChain(MAX_FRAGMENT_CHAIN - 1) },
      { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } },
      { query: 42 },
      undefined,
      // Past the chain's count of spreads but no document: Apollo's parse says why.
      { query: `{ ${'...F '.repeat(MAX_FRAGMENT_CHAIN + 1)}` },
    ]) {
      expect(guardRun({ body })).toEqual(passed);
    }
  });

  it('parses the chain within the token limit: a document past it is left to Apollo\'s parse, which refuses it', () => {
    expect(guardRun({ body: { query: fragmentChain(MAX_FRAGMENT_CHAIN + 1) } }, 50)).toEqual({ nexts: 1, counted: [], logged: [] });
  });
});
