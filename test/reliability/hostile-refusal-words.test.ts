import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessBehindFront } from '../helpers/front-server.js';
import { errorCodes, type Harness } from '../helpers/harness.js';

/** Levels of nesting in the refusal's message list: far past what `String(list)` can recurse through. */
const LEVELS = 100_000;
const DEEP_REFUSAL = `{"errors":${'['.repeat(LEVELS)}"disk is busy"${']'.repeat(LEVELS)}}`;
const CREATE_PATH = /^\/settings\/disks\/[^/]+\/backups\.json$/;

/**
 * The OnApp simulator behind a front that refuses every backup create with 422 and a message
 * list nested LEVELS deep (a hostile or broken provider); everything else is the simulator's own
 * answer.
 */
describe('a provider refusal whose message list nests past the stack', () => {
  let harness: Harness;
  let close: () => Promise<void>;
  /** The refused POSTs. */
  let creates = 0;

  beforeAll(async () => {
    ({ harness, close } = await harnessBehindFront('onapp', 'onapp-front', (req, res) => {
      if (req.method !== 'POST' || !CREATE_PATH.test(req.url ?? '')) return false;
      creates += 1;
      res.writeHead(422, { 'content-type': 'application/json' });
      res.end(DEEP_REFUSAL);
      return true;
    }));
  });
  afterAll(() => close?.());

  it('is the provider refusing (PROVIDER_ERROR), not an internal error, and releases the idempotency key', async () => {
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(providerId: "onapp-front", first: 1) { edges { node { id } } } }');
    const instanceId = listed.data?.instances.edges[0]?.node.id;
    expect(instanceId).toBeDefined();
    const create = `mutation($id: ID!) { createBackup(input: { instanceId: $id, name: "n", idempotencyKey: "deep-refusal-1" }) { operation { id } } }`;

    const first = await harness.gql(create, { id: instanceId });
    expect(errorCodes(first)).toEqual(['PROVIDER_ERROR']);
    expect(first.errors?.[0]?.extensions).toMatchObject({ provider: 'onapp-front', providerCode: 'HTTP_422' });
    // Nested that deep the words are past reading: the refusal is told without them.
    expect(first.errors?.[0]?.message).toBe('...');
    // A refusal: the retry with the same key asks the provider again, and is not told it may have acted.
    const retry = await harness.gql(create, { id: instanceId });
    expect(errorCodes(retry)).toEqual(['PROVIDER_ERROR']);
    expect(retry.errors?.[0]?.message).not.toContain('may have acted');
    expect(creates).toBe(2);
    expect(harness.logs.filter((line) => line.includes('"level":50'))).toEqual([]);
  });
});
