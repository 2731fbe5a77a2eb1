import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { FRAGMENT_CHAIN_REFUSAL, MAX_FRAGMENT_CHAIN } from '../../src/graphql/limits/fragment-chain.js';
import { MAX_NESTING, NESTING_REFUSAL } from '../../src/graphql/limits/nesting.js';
import { nestingGuard } from '../../src/server/nesting-guard.js';
import { guardRun, PASSED_ON, refusedWith as refusedBy, type GuardSeen } from '../helpers/guard-run.js';

/**
 * The HTTP guard in front of Apollo Server: a document nested or chained past its limit is
 * answered 400 QUERY_TOO_COMPLEX, logged with its request id and counted; any other request
 * goes on untouched. The pipeline is a stand-in (test/helpers/guard-run.ts);
 * test/security/query-nesting.test.ts runs the whole gateway.
 */

/** `depth` lists inside the braces and parentheses: 2 more open at once. */
const nestedLists = (depth: number) => `{ a(b: ${'['.repeat(depth)}1${']'.repeat(depth)}) }`;
const fragmentChain = (links: number) =>
  `{ ...F0 } ${Array.from({ length: links }, (_, index) => `fragment F${index} on Query { ...F${index + 1} }`).join(' ')} fragment F${links} on Query { __typename }`;

const run = (request: Partial<Request>, maxTokens?: number): GuardSeen => guardRun(nestingGuard, request, maxTokens);
const refusedWith = (message: string): GuardSeen => refusedBy(message, 'QUERY_TOO_COMPLEX');

describe('nestingGuard: the nesting and fragment-chain limits over HTTP', () => {
  it('refuses a document nested past the limit: 400 QUERY_TOO_COMPLEX through the formatter, logged with the request id, counted', () => {
    expect(run({ body: { query: nestedLists(MAX_NESTING + 1) } })).toEqual(refusedWith(NESTING_REFUSAL));
  });

  it('refuses a chain of fragments past the limit alike', () => {
    expect(run({ body: { query: fragmentChain(MAX_FRAGMENT_CHAIN + 1) } })).toEqual(refusedWith(FRAGMENT_CHAIN_REFUSAL));
  });

  it('reads a GET\'s query from its URL', () => {
    const url = `/graphql?query=${encodeURIComponent(nestedLists(MAX_NESTING + 1))}`;
    expect(run({ method: 'GET', url })).toEqual(refusedWith(NESTING_REFUSAL));
  });

  it('passes on, untouched, what is within both limits, what carries no query text, and what does not parse', () => {
        for (const body of [
      { query: nestedLists(MAX_NESTING - 2) },
      { query: fragmentChain(MAX_FRAGMENT_CHAIN - 1) },
      { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } },
      { query: 42 },
      undefined,
      // Past the chain's count of spreads but no document: Apollo's parse says why.
      { query: `{ ${'...F '.repeat(MAX_FRAGMENT_CHAIN + 1)}` },
    ]) {
      expect(run({ body })).toEqual(PASSED_ON);
    }
  });

  it('parses the chain within the token limit: a document past it is left to Apollo\'s parse, which refuses it', () => {
    expect(run({ body: { query: fragmentChain(MAX_FRAGMENT_CHAIN + 1) } }, 50)).toEqual(PASSED_ON);
  });
});
