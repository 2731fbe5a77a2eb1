import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withLimits, type Harness } from '../helpers/harness.js';

interface Answer {
  status: number;
  data?: unknown;
  errors?: Array<{ message: string; extensions?: { code?: string } }>;
}

const errorCodes = (answer: Answer): string[] => (answer.errors ?? []).map((error) => String(error.extensions?.code));

const REPRESENTATION = '{"__typename":"Instance","id":"x"}';
const representations = (count: number): string => `[${Array.from({ length: count }, () => REPRESENTATION).join(',')}]`;

/**
 * The cost with a request's variables is kept per operation when its walk read none of them
 * (cost-rule.ts), and a nullable variable's required usages per operation (null-variables.ts). A
 * hostile client tries to have a price or a usage list kept for one request used for another: two
 * operations in one document picked by `operationName`, a list hidden behind a variable named
 * `__proto__` (sent, or left out for its default), a filter that judges protection sent after one
 * that does not. Each is priced by what it sends.
 */
describe('the checks kept per document price each request by what it sends', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withLimits({ maxCost: 400, maxListArgument: 20 }) });
  });
  afterAll(() => harness?.close());

  /** A POST whose body is written by hand: JSON.stringify cannot write a `__proto__` key. */
  async function post(body: string): Promise<Answer> {
    const response = await fetch(harness.gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: response.status, ...(JSON.parse(await response.text()) as Omit<Answer, 'status'>) };
  }
  const refusedAsTooComplex = (answer: Answer): void => {
    expect(answer.status).toBe(400);
    expect(errorCodes(answer)).toEqual(['QUERY_TOO_COMPLEX']);
  };

  it("prices the operation operationName picks, not the one of the same document priced before", async () => {
    const document = JSON.stringify('query Cheap($id: ID!) { node(id: $id) { id } } query Dear($r: [_Any!]!) { _entities(representations: $r) { __typename } }');
    const cheap = await post(`{"query":${document},"operationName":"Cheap","variables":{"id":"x","r":${representations(21)}}}`);
    expect(errorCodes(cheap)).not.toContain('QUERY_TOO_COMPLEX');
    refusedAsTooComplex(await post(`{"query":${document},"operationName":"Dear","variables":{"id":"x","r":${representations(21)}}}`));
    expect(errorCodes(await post(`{"query":${document},"operationName":"Cheap","variables":{"id":"x"}}`))).not.toContain('QUERY_TOO_COMPLEX');
  });

  it('runs no list hidden under a __proto__ key of the variables, and takes no variable named like one', async () => {
    // Copied with an assignment (Object.assign), `{"__proto__": {"r": [...]}}` would make `r` an inherited
    // variable the cost (reading own keys and defaults) never saw.
    const hidden = JSON.stringify('query($r: [_Any!] = []) { _entities(representations: $r) { __typename } }');
    const answer = await post(`{"query":${hidden},"variables":{"__proto__":{"r":${representations(21)}}}}`);
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ _entities: [] });
    const named = JSON.stringify('query($__proto__: [_Any!]!) { _entities(representations: $__proto__) { __typename } }');
    const refused = await post(`{"query":${named},"variables":{"__proto__":${representations(21)}}}`);
    expect(refused.status).toBe(400);
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors?.[0]?.message).toMatch(/a name every JavaScript object has/);
  });

  it('prices a filter that judges protection sent after the same document sent with one that does not', async () => {
    // 100 instances judged cost some 100 * (2 + 3): past 400; without the judging filter, within it.
    const document = JSON.stringify('query($f: InstanceFilter) { instances(first: 100, filter: $f) { edges { node { id } } } }');
    expect(errorCodes(await post(`{"query":${document},"variables":{"f":null}}`))).not.toContain('QUERY_TOO_COMPLEX');
    expect(errorCodes(await post(`{"query":${document},"variables":{}}`))).not.toContain('QUERY_TOO_COMPLEX');
    refusedAsTooComplex(await post(`{"query":${document},"variables":{"f":{"protection":["UNPROTECTED"]}}}`));
  });

  it('refuses a null sent for a required use, after the same document was sent without one', async () => {
    const document = JSON.stringify('query($on: Boolean = true, $off: Boolean = false) { providers @include(if: $on) @skip(if: $off) { id } }');
    expect((await post(`{"query":${document},"variables":{"on":true}}`)).errors).toBeUndefined();
    const refused = await post(`{"query":${document},"variables":{"off":null,"__proto__":{"off":false}}}`);
    expect(refused.status).toBe(400);
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors?.[0]?.message).toMatch(/^Variable "\$off" is null where a value of type "Boolean!" is required/);
  });
});
