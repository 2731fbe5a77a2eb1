import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DANUBE_SIM_API_KEY } from '../../src/providers/danube/simulator.js';
import { type Harness, startHarness } from '../helpers/harness.js';

/**
 * A request's error lines quote what the client sent, and each goes through the scrubber with
 * every account's secrets before it is written. One request of 20 bad variables, each message
 * 1,000 characters shaped to be slow to scrub, cost 8-11 times the CPU of the same request
 * unscrubbed with 20 accounts: an error storm paid for in scrubbing. A logged message is clipped
 * before the scrub, and one request scrubs at most so much: its further errors are counted in
 * its "more errors" line, as past 20 lines.
 */

const NAMES = Array.from({ length: 20 }, (_, index) => `v${index}`);
const QUERY = `query(${NAMES.map((name) => `$${name}: Boolean!`).join(', ')}) { ${NAMES.map((name) => `${name}: __typename @include(if: $${name})`).join(' ')} }`;
/** graphql-js's words before a variable's value: `Variable "$v0" got invalid value "`. */
const BEFORE_VALUE = 'Variable "$v0" got invalid value "'.length;

type Line = Record<string, unknown>;
const linesOf = (harness: Harness, requestId: string | null): Line[] =>
  harness.logs.map((text) => JSON.parse(text) as Line).filter((line) => line.requestId === requestId);

describe('the error lines of a request refused for many long variables', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
  });
  afterAll(() => harness.close());

  it('quote each message clipped, the first few one by one and the rest counted; the client is answered every message whole', async () => {
    const answer = await harness.gql(QUERY, Object.fromEntries(NAMES.map((name, index) => [name, `${index}-`.padEnd(2_000, 'abc%2526amp%253B')])));
    expect(answer.errors).toHaveLength(20);
    expect(answer.errors?.[0]?.message.length).toBe(1_000);
    const lines = linesOf(harness, answer.headers.get('x-request-id'));
    const oneByOne = lines.filter((line) => line.msg === 'request answered with an error');
    expect(oneByOne).toHaveLength(9);
    for (const line of oneByOne) expect(String(line.message).length).toBeLessThanOrEqual(300);
    expect(lines.find((line) => line.msg === 'request answered with more errors, not logged one by one')).toMatchObject({ more: 11, codes: { BAD_USER_INPUT: 11 } });
  });

  it('leave no start of a credential the cut goes through (the scrub finds 8 characters of it, not fewer)', async () => {
    // The key's first 5 characters end the 300 the line keeps, and the 1,000 the answer does.
    const atLogCut = `${'x'.repeat(300 - BEFORE_VALUE - 5)}${DANUBE_SIM_API_KEY}`;
    const atAnswerCut = `${'y'.repeat(1_000 - 3 - BEFORE_VALUE - 5)}${DANUBE_SIM_API_KEY}`;
    for (const value of [atLogCut, atAnswerCut]) {
      const answer = await harness.gql(QUERY, { ...Object.fromEntries(NAMES.map((name) => [name, true])), v0: value });
      const line = linesOf(harness, answer.headers.get('x-request-id')).find((fields) => fields.msg === 'request answered with an error');
      // The value's run the cut goes through is left out whole, and 7 characters before it (scrubClipped).
      expect(String(line?.message)).toMatch(/^Variable "\$v0" got invalid/);
      expect(String(line?.message)).not.toContain(DANUBE_SIM_API_KEY.slice(0, 5));
    }
  });
});
