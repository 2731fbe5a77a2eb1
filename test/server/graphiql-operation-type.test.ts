import { describe, expect, it } from 'vitest';
import { BOOT_SCRIPT } from '../../src/server/graphiql-boot.js';

type OperationOf = (query: string, operationName?: string) => { type: string; operationName?: string };

/** The page's operationOf, taken from the script the browser gets (it runs there, not here). */
function pageOperationOf(): OperationOf {
  const body = BOOT_SCRIPT.slice(BOOT_SCRIPT.indexOf('  function operationOf('), BOOT_SCRIPT.indexOf('  async function overHttp('));
  return new Function(`${body}; return operationOf;`)() as OperationOf;
}

describe('GraphiQL page: which operation runs, and whether over the WebSocket', () => {
  const operationOf = pageOperationOf();
  it.each([
    ['subscription { operationUpdated(id: "x") { status } }', undefined, { type: 'subscription', operationName: undefined }],
    ['{ providers { id } }', undefined, { type: 'query', operationName: undefined }],
    ['# subscription { a }\nquery Q { a }', undefined, { type: 'query', operationName: 'Q' }],
    ['mutation M { m(s: "subscription {") { id } }', undefined, { type: 'mutation', operationName: 'M' }],
    ['fragment F on Operation { id } subscription S($id: ID!) { operationUpdated(id: $id) { ...F } }', undefined, { type: 'subscription', operationName: 'S' }],
    ['query A { a } subscription B { b }', 'B', { type: 'subscription', operationName: 'B' }],
    ['query A { a } subscription B { b }', 'A', { type: 'query', operationName: 'A' }],
    // GraphiQL's name for the previous text, parsed before this edit: the one operation there is runs.
    ['subscription { operationUpdated(id: "x") { status } }', 'Dashboard', { type: 'subscription', operationName: undefined }],
    ['query A { a } query B { b }', 'C', { type: 'query', operationName: 'C' }],
    ['', undefined, { type: 'query', operationName: undefined }],
  ])('%j (operation %s) is %j', (query, operationName, expected) => {
    expect(operationOf(query, operationName)).toEqual(expected);
  });
});
