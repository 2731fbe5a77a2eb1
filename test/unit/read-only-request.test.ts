import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { surelyReadOnly } from '../../src/server/read-only-request.js';

const withBody = (body: unknown): IncomingMessage => ({ body }) as unknown as IncomingMessage;
const readOnly = surelyReadOnly(5_000);

describe('surelyReadOnly: whether an answer may be replaced by a refusal (its request did not act)', () => {
  it('says yes for a query or subscription only', () => {
    expect(readOnly(withBody({ query: '{ providers { id } }' }))).toBe(true);
    expect(readOnly(withBody({ query: 'subscription { operationUpdated(id: "x") { status } }' }))).toBe(true);
    expect(readOnly(withBody({ query: 'query A { a: __typename } mutation B { deleteBackup(input: { backupId: "x" }) { deleted } }', operationName: 'A' }))).toBe(true);
  });

  it('says no for a mutation, a hash alone, no body, or text that does not parse or names no operation', () => {
    expect(readOnly(withBody({ query: 'mutation { deleteBackup(input: { backupId: "x" }) { deleted } }' }))).toBe(false);
    expect(readOnly(withBody({ query: 'query A { a: __typename } mutation B { deleteBackup(input: { backupId: "x" }) { deleted } }', operationName: 'B' }))).toBe(false);
    expect(readOnly(withBody({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }))).toBe(false);
    expect(readOnly(withBody(undefined))).toBe(false);
    expect(readOnly(withBody({ query: '{ unclosed' }))).toBe(false);
    expect(readOnly(withBody({ query: 'query A { a: __typename } query B { b: __typename }' }))).toBe(false);
  });

  it('says no for a null body (JSON null) rather than throwing', () => {
    expect(readOnly(withBody(null))).toBe(false);
  });

  it('reads query text only within maxTokens: a longer query is not parsed, so not vouched for', () => {
    const fields = Array.from({ length: 20 }, (_, index) => `f${index}: __typename`).join(' ');
    expect(surelyReadOnly(5_000)(withBody({ query: `{ ${fields} }` }))).toBe(true);
    expect(surelyReadOnly(10)(withBody({ query: `{ ${fields} }` }))).toBe(false);
  });

  it('reads an operationName that is no string as none given: the one operation decides', () => {
    expect(readOnly(withBody({ query: '{ providers { id } }', operationName: 5 }))).toBe(true);
    expect(readOnly(withBody({ query: 'mutation { deleteBackup(input: { backupId: "x" }) { deleted } }', operationName: { name: 'x' } }))).toBe(false);
  });
});
