import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, startHarness, type Harness } from '../helpers/harness.js';

type Instances = { instances: { edges: Array<{ node: { id: string; backups: Array<{ id: string }> } }> } };

/**
 * Several mutations in one document run one after another, and each payload is non-null: one
 * refused makes the whole `data` null. graphql-js then runs none after it; graphql-jit ran them
 * all, so a `createBackup` after a refused `deleteBackup` acted at the provider while its client
 * was answered `data: null` with the delete's error alone, told nothing of the backup it started.
 */
describe('a mutation after a refused one in the same document', () => {
  let harness: Harness;
  let instanceId: string;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'] });
    const listed = await harness.gql<Instances>('{ instances(first: 1) { edges { node { id backups { id } } } } }');
    instanceId = listed.data!.instances.edges[0]!.node.id;
  });
  afterAll(() => harness?.close());

  const writes = (): number => harness.simulator('onapp').server.log.filter((request) => request.method !== 'GET').length;

  it('is not run: nothing reaches the provider after the refusal', async () => {
    const before = writes();
    const answer = await harness.gql(
      `mutation($instanceId: ID!) {
        refused: deleteBackup(input: { backupId: "not-an-id" }) { operation { id } }
        after: createBackup(input: { instanceId: $instanceId, name: "after-a-refusal" }) { operation { id } }
      }`,
      { instanceId },
    );
    expect(answer.data ?? null).toBeNull();
    expect(errorCodes(answer)[0]).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0]?.path).toEqual(['refused']);
    expect(writes()).toBe(before);
  });

  it('runs as before when none is refused (guard)', async () => {
    const before = writes();
    const answer = await harness.gql(`mutation($instanceId: ID!) { made: createBackup(input: { instanceId: $instanceId, name: "alone" }) { operation { id } } }`, { instanceId });
    expect(answer.errors).toBeUndefined();
    expect(writes()).toBeGreaterThan(before);
  });
});
