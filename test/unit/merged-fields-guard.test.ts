import { describe, expect, it } from 'vitest';
import { MAX_MERGED_FIELDS } from '../../src/graphql/limits/merged-fields.js';
import { mergedFieldsGuard } from '../../src/server/merged-fields-guard.js';
import { guardRun, PASSED_ON, refusedWith } from '../helpers/guard-run.js';

/**
 * The merged-fields limit over HTTP, in front of Apollo Server (whose overlapping-fields rule
 * paid for such a query before any rule of ours could refuse it): 400 QUERY_TOO_COMPLEX through
 * the formatter, logged and counted; everything else goes on untouched. A stand-in pipeline
 * (test/helpers/guard-run.ts); test/security/merged-fields.test.ts runs the whole gateway.
 */
const copies = (count: number) => `{ ${'p(first: 1) { id } '.repeat(count)}}`;
const run = (query: unknown, maxTokens?: number) => guardRun(mergedFieldsGuard, { body: { query } }, maxTokens);
const REFUSAL = `Merged fields limit of 100 exceeded: "p" is selected ${MAX_MERGED_FIELDS + 1} times with arguments or sub-fields; select it once.`;

describe('mergedFieldsGuard: the merged-fields limit over HTTP', () => {
  it('refuses a place merging more than the limit: 400 QUERY_TOO_COMPLEX through the formatter, logged with the request id, counted', () => {
    expect(run(copies(MAX_MERGED_FIELDS + 1))).toEqual(refusedWith(REFUSAL, 'QUERY_TOO_COMPLEX'));
  });

  it('reads a GET\'s query from its URL', () => {
    expect(guardRun(mergedFieldsGuard, { method: 'GET', url: `/graphql?query=${encodeURIComponent(copies(MAX_MERGED_FIELDS + 1))}` })).toEqual(refusedWith(REFUSAL, 'QUERY_TOO_COMPLEX'));
  });

  it('passes on, untouched, a place at the limit, many marks in other places, no query text, and text that does not parse', () => {
    const spread = `{ ${Array.from({ length: MAX_MERGED_FIELDS + 1 }, (_, index) => `p${index}(first: 1) { id }`).join(' ')} }`;
    for (const query of [copies(MAX_MERGED_FIELDS), spread, `${copies(MAX_MERGED_FIELDS + 1).slice(0, -1)}`, 42, undefined]) {
      expect(run(query)).toEqual(PASSED_ON);
    }
  });

  it('parses within the token limit: a longer document is left to Apollo, which refuses it', () => {
    expect(run(copies(MAX_MERGED_FIELDS + 1), 50)).toEqual(PASSED_ON);
  });
});
