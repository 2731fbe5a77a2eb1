import { describe, expect, it } from 'vitest';
import { BOOT_SCRIPT } from '../../src/server/graphiql-boot.js';

/** The page's operationType, taken from the script the browser gets (it runs there, not here). */
function pageOperationType(): (query: string, operationName?: string) => string {
  const body = BOOT_SCRIPT.slice(BOOT_SCRIPT.indexOf('  function operationType('), BOOT_SCRIPT.indexOf('  async function overHttp('));
  return new Function(`${body}; return operationType;`)() as (query: string, operationName?: string) => string;
}

describe("GraphiQL page: which operations go over the WebSocket", () => {
  const operationType = pageOperationType();
  it.each([
    ['subscription { operationUpdated(id: "x") { status } }', undefined, 'subscription'],
    ['{ providers { id } }', undefined, 'query'],
    ['# subscription { a }\nquery Q { a }', undefined, 'query'],
    ['mutation M { m(s: "subscription {") { id } }', undefined, 'mutation'],
    ['fragment F on Operation { id } subscription S($id: ID!) { operationUpdated(id: $id) { ...F } }', undefined, 'subscription'],
    ['query A { a } subscription B { b }', 'B', 'subscription'],
    ['query A { a } subscription B { b }', 'A', 'query'],
    ['', undefined, 'query'],
  ])('%j (operation %s) is a %s', (query, operationName, expected) => {
    expect(operationType(query, operationName)).toBe(expected);
  });
});
