import { describe, expect, it } from 'vitest';
import { hashNotStringMessage } from '../../src/graphql/persisted-query-check.js';
import { persistedQueryGuard } from '../../src/server/persisted-query-guard.js';
import { guardRun, PASSED_ON, refusedWith } from '../helpers/guard-run.js';

/**
 * The HTTP guard in front of Apollo Server for a persisted query's `sha256Hash` that is no
 * string: 400 BAD_USER_INPUT, logged and counted, where Apollo answered 200
 * PersistedQueryNotFound and the client went round for ever. Every other request, and every
 * other persisted-query mistake, goes on to Apollo untouched. A stand-in pipeline
 * (test/helpers/guard-run.ts); test/security/client-mistakes.test.ts runs the whole gateway.
 */
const post = (extensions: unknown) => guardRun(persistedQueryGuard, { body: { query: '{ __typename }', extensions } });
const get = (search: string) => guardRun(persistedQueryGuard, { method: 'GET', url: `/graphql?${search}` });
const extensionsParam = (extensions: unknown) => `extensions=${encodeURIComponent(JSON.stringify(extensions))}`;

describe('persistedQueryGuard: a persisted query\'s hash that is no string', () => {
  it('refuses it in a POST\'s body: 400 BAD_USER_INPUT through the formatter, logged with the request id, counted', () => {
    for (const sha256Hash of [17, null, { hex: 'abc' }, ['abc'], true]) {
      expect(post({ persistedQuery: { version: 1, sha256Hash } })).toEqual(refusedWith(hashNotStringMessage(sha256Hash), 'BAD_USER_INPUT'));
    }
    expect(post({ persistedQuery: { version: 1 } })).toEqual(refusedWith(hashNotStringMessage(undefined), 'BAD_USER_INPUT'));
  });

  it('refuses it in a GET\'s extensions parameter, read as Apollo reads the URL (a `#` ends it)', () => {
    expect(get(`query=%7B__typename%7D&${extensionsParam({ persistedQuery: { version: 1, sha256Hash: 17 } })}`)).toEqual(refusedWith(hashNotStringMessage(17), 'BAD_USER_INPUT'));
    expect(get(`${extensionsParam({ persistedQuery: { version: 1, sha256Hash: 17 } })}#frag`)).toEqual(refusedWith(hashNotStringMessage(17), 'BAD_USER_INPUT'));
    // After the `#` is no search: nothing read there.
    expect(get(`query=x#&${extensionsParam({ persistedQuery: { version: 1, sha256Hash: 17 } })}`)).toEqual(PASSED_ON);
  });

  it('passes on a hash that is a string, another version, a persistedQuery that is no object, and no persistedQuery', () => {
    for (const extensions of [
      { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } },
      { persistedQuery: { version: 1, sha256Hash: '' } },
      { persistedQuery: { version: 2, sha256Hash: 17 } },
      { persistedQuery: { version: '1', sha256Hash: 17 } },
      { persistedQuery: { sha256Hash: 17 } },
      { persistedQuery: null },
      { persistedQuery: 'abc' },
      {},
      null,
      'text',
      undefined,
    ]) {
      expect(post(extensions)).toEqual(PASSED_ON);
    }
    expect(guardRun(persistedQueryGuard, { body: undefined })).toEqual(PASSED_ON);
  });

  it('passes on a GET with no search, no extensions parameter, extensions that are no JSON, or no object', () => {
    expect(guardRun(persistedQueryGuard, { method: 'GET', url: '/graphql' })).toEqual(PASSED_ON);
    expect(get('query=%7B__typename%7D')).toEqual(PASSED_ON);
    expect(get('extensions=%7Bnot-json')).toEqual(PASSED_ON);
    expect(get('extensions=null')).toEqual(PASSED_ON);
    expect(get('extensions=17')).toEqual(PASSED_ON);
    expect(get(extensionsParam({ persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } }))).toEqual(PASSED_ON);
  });
});
