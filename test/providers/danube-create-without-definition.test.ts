import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, type Harness } from '../helpers/harness.js';

const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';

/**
 * A newcomer who sends createBackup to a Danube instance without `definitionName` read
 * "definitionName is required for Danube: a backup is made by running a backup definition" and
 * was left to guess which names there are: the refusal says where they are listed, and how to
 * make one where the instance has none.
 */
describe('danube: createBackup without definitionName', () => {
  let harness: Harness;
  let instanceId: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(first: 1) { edges { node { id } } } }');
    expect(answer.errors).toBeUndefined();
    instanceId = answer.data!.instances.edges[0]!.node.id;
  }, 60_000);
  afterAll(() => harness.close());

  it('says where the definition names are and how to make one', async () => {
    const refused = await harness.gql(CREATE, { input: { instanceId, name: 'now' } });
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors?.[0]?.message).toBe(
      "definitionName is required for Danube: a backup is made by running a backup definition; send the name of one the instance's `definitions` lists, or make one with createBackupDefinition",
    );
  });
});
