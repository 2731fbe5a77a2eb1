import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

const ENTITIES = 'query($representations: [_Any!]!) { _entities(representations: $representations) { __typename ... on Backup { id } } }';
const idOf = (parts: string[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');

/**
 * A well-formed Backup id whose instance is gone names nothing, as `node` answered it: null alone.
 * `backup(id:)` and `_entities` passed on the provider's NOT_FOUND for the instance beside the
 * null, where the schema says null and a federation router reads an error as a failed fetch.
 */
describe('a Backup id whose instance is gone', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro', 'onapp', 'zstack'] });
  });
  afterAll(() => harness.close());

  const gone = (kind: string) => idOf(['B', `${kind}-test`, kind === 'zstack' ? 'no-such-vm-uuid' : '987654321', '123456789']);

  it.each(['zomro', 'onapp', 'zstack'])('%s: backup(id:) is null, no error', async (kind) => {
    const answer = await harness.gql<{ backup: unknown }>('query($id: ID!) { backup(id: $id) { id } }', { id: gone(kind) });
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ backup: null });
  });

  it('_entities answers null for each, no error', async () => {
    const representations = ['zomro', 'onapp', 'zstack'].map((kind) => ({ __typename: 'Backup', id: gone(kind) }));
    const answer = await harness.gql<{ _entities: unknown[] }>(ENTITIES, { representations });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?._entities).toEqual([null, null, null]);
  });

  // Guard: node answered so already.
  it('node is null, no error', async () => {
    const answer = await harness.gql<{ node: unknown }>('query($id: ID!) { node(id: $id) { id } }', { id: gone('zomro') });
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual({ node: null });
  });
});
