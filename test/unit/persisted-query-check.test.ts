import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HASH_MISMATCH_MESSAGE, UNSUPPORTED_VERSION_MESSAGE, hashNotStringMessage, persistedQueryRefusal } from '../../src/graphql/persisted-query-check.js';

/**
 * persisted-query-check.ts asked directly: `persistedQueryRefusal` (the WebSocket's checks) was reached by no
 * unit test, and the refusal's words only compared with themselves (mutation testing, 2026-12-07).
 */
const QUERY = '{ __typename }';
const HASH = createHash('sha256').update(QUERY).digest('hex');
const refused = (query: string, extensions: unknown): { message: string; code: unknown } | undefined => {
  const error = persistedQueryRefusal(query, extensions);
  return error === undefined ? undefined : { message: error.message, code: error.extensions.code };
};

describe('persistedQueryRefusal', () => {
  it('lets an operation through with no extensions, no persistedQuery, or one that is falsy', () => {
    for (const extensions of [undefined, null, 'persistedQuery', 7, {}, { other: 1 }, { persistedQuery: null }, { persistedQuery: false }, { persistedQuery: 0 }, { persistedQuery: '' }]) {
      expect(refused(QUERY, extensions), JSON.stringify(extensions)).toBeUndefined();
    }
  });

  it('refuses an empty text with no persistedQuery in Apollo Server\'s words (HTTP\'s 400), whatever the extensions; a blank one is left to the parser, as Apollo leaves it', () => {
    const empty = { message: 'GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.', code: 'BAD_USER_INPUT' };
    for (const extensions of [undefined, null, {}, { persistedQuery: null }, { persistedQuery: false }]) expect(refused('', extensions), JSON.stringify(extensions)).toEqual(empty);
    expect(refused(' ', undefined)).toBeUndefined();
    // With a persistedQuery the hash is checked against the empty text, as HTTP checks it.
    expect(refused('', { persistedQuery: { version: 1, sha256Hash: HASH } })).toEqual({ message: HASH_MISMATCH_MESSAGE, code: 'BAD_USER_INPUT' });
  });

  it('lets through a version 1 whose hash is the text\'s SHA-256 in hex', () => {
    expect(refused(QUERY, { persistedQuery: { version: 1, sha256Hash: HASH } })).toBeUndefined();
  });

  it('refuses another version, or none, in Apollo Server\'s words, as bad input', () => {
    for (const persisted of [{ version: 2, sha256Hash: HASH }, { version: '1', sha256Hash: HASH }, { sha256Hash: HASH }, true, 'yes', 1]) {
      expect(refused(QUERY, { persistedQuery: persisted }), JSON.stringify(persisted)).toEqual({ message: 'Unsupported persisted query version', code: 'BAD_USER_INPUT' });
    }
    expect(UNSUPPORTED_VERSION_MESSAGE).toBe('Unsupported persisted query version');
  });

  it('refuses a hash that is no string, saying what it is', () => {
    const cases: Array<[unknown, string]> = [
      [undefined, 'left out'],
      [null, 'null'],
      [[HASH], 'an array'],
      [{ hex: HASH }, 'an object'],
      [17, 'a number'],
      [true, 'a boolean'],
    ];
    for (const [hash, kind] of cases) {
      const message = `extensions.persistedQuery.sha256Hash must be a string, the query's SHA-256 in hex, not ${kind}`;
      expect(hashNotStringMessage(hash)).toBe(message);
      expect(refused(QUERY, { persistedQuery: { version: 1, sha256Hash: hash } }), kind).toEqual({ message, code: 'BAD_USER_INPUT' });
    }
  });

  it('refuses a hash that is not the text\'s, in Apollo Server\'s words', () => {
    const mismatch = { message: 'provided sha does not match query', code: 'BAD_USER_INPUT' };
    expect(refused(`${QUERY} `, { persistedQuery: { version: 1, sha256Hash: HASH } })).toEqual(mismatch);
    expect(refused(QUERY, { persistedQuery: { version: 1, sha256Hash: HASH.toUpperCase() } })).toEqual(mismatch);
    expect(refused(QUERY, { persistedQuery: { version: 1, sha256Hash: '' } })).toEqual(mismatch);
    expect(HASH_MISMATCH_MESSAGE).toBe('provided sha does not match query');
  });
});
