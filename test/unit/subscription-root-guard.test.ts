import { describe, expect, it } from 'vitest';
import { subscriptionRootGuard } from '../../src/server/subscription-root-guard.js';
import { guardRun, PASSED_ON, REQUEST_ID } from '../helpers/guard-run.js';

/**
 * The HTTP guard in front of Apollo Server for `@skip` or `@include` on a subscription's root
 * selection (graphql-js's validation threw on it: HTTP 500): 400 BAD_USER_INPUT through the
 * formatter, logged and counted, whichever operation of the document was asked for; everything
 * else goes on untouched. A stand-in pipeline (test/helpers/guard-run.ts);
 * test/security/subscription-root-directives.test.ts runs the whole gateway.
 */
const run = (query: unknown, maxTokens?: number) => guardRun(subscriptionRootGuard, { body: { query } }, maxTokens);

const refusal = (name: string) => `${name} must not use \`@skip\` or \`@include\` directives in the top level selection.`;

describe('subscriptionRootGuard: `@skip` or `@include` on a subscription\'s root selection, over HTTP', () => {
  it('refuses it: 400 BAD_USER_INPUT through the formatter, where in the document, logged with the request id, counted', () => {
    const seen = run('query Q { __typename }\nsubscription S($on: Boolean!) { operationUpdated(id: "x") @include(if: $on) { status } }');
    expect(seen).toMatchObject({ nexts: 0, counted: ['BAD_USER_INPUT'], logged: [{ requestId: REQUEST_ID, messages: [refusal('Subscription "S"')] }], status: 400 });
    expect(seen.body).toEqual({ errors: [{ message: refusal('Subscription "S"'), locations: [{ line: 2, column: 1 }], extensions: { code: 'BAD_USER_INPUT', formatted: true } }] });
  });

  it('reads a GET\'s query from its URL, and an anonymous subscription\'s root through its fragments', () => {
    const query = 'subscription { ...Root } fragment Root on Subscription { operationUpdated(id: "x") @skip(if: true) { status } }';
    const seen = guardRun(subscriptionRootGuard, { method: 'GET', url: `/graphql?query=${encodeURIComponent(query)}` });
    expect(seen).toMatchObject({ nexts: 0, counted: ['BAD_USER_INPUT'], status: 400, logged: [{ messages: [refusal('Anonymous Subscription')] }] });
  });

  it('passes on, untouched, a subscription without them, a directive below its root, a query, no query text, and text that does not parse', () => {
    for (const query of [
      'subscription { operationUpdated(id: "x") { status } }',
      'subscription { operationUpdated(id: "x") { status @include(if: true) } }',
      'query { __typename @skip(if: false) }',
      '{ providers { id } } # subscription include',
      'subscription { operationUpdated(id: "x") @skip(if: true) { status }',
      42,
      undefined,
    ]) {
      expect(run(query)).toEqual(PASSED_ON);
    }
  });

  it('parses within the token limit: a longer document is left to Apollo, which refuses it', () => {
    expect(run('subscription { operationUpdated(id: "x") @skip(if: true) { status } }', 5)).toEqual(PASSED_ON);
  });
});
