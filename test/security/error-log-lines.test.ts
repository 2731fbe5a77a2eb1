import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ERROR_LINES_PER_REQUEST } from '../../src/graphql/errors.js';
import { startHarness, type Harness } from '../helpers/harness.js';

/**
 * The client's mistakes are logged at info, one line each: a request of
 * 1,000 made-up `_entities` ids (40 KB) wrote 1,000 lines. The answer still
 * names every error; the log names the first ones and counts the rest.
 */
describe('error log lines: bounded per request', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'] });
  });
  afterAll(() => harness.close());

  it('1,000 refused _entities items: every error answered, 20 logged one by one and one line counting the other 980', async () => {
    const representations = Array.from({ length: 1000 }, (_, index) => ({ __typename: 'Instance', id: `made-up-${index}` }));
    const answer = await harness.gql('query ($r: [_Any!]!) { _entities(representations: $r) { ... on Instance { id } } }', { r: representations });
    expect(answer.errors).toHaveLength(1000);
    expect(new Set(answer.errors!.map((error) => error.extensions?.code))).toEqual(new Set(['BAD_USER_INPUT']));
    const requestId = answer.headers.get('x-request-id');
    const lines = harness.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.requestId === requestId);
    const oneByOne = lines.filter((line) => line.msg === 'request answered with an error');
    expect(oneByOne).toHaveLength(MAX_ERROR_LINES_PER_REQUEST);
    expect(oneByOne[0]).toMatchObject({ code: 'BAD_USER_INPUT', message: "malformed id: send an Instance's `id` as the gateway answered it, not a placeholder, a name or the provider's own id", path: ['_entities', 0] });
    expect(lines.filter((line) => line.msg === 'request answered with more errors, not logged one by one')).toEqual([
      expect.objectContaining({ more: 1000 - MAX_ERROR_LINES_PER_REQUEST, codes: { BAD_USER_INPUT: 1000 - MAX_ERROR_LINES_PER_REQUEST } }),
    ]);
    expect(lines.length).toBeLessThanOrEqual(MAX_ERROR_LINES_PER_REQUEST + 2);
  });
});
