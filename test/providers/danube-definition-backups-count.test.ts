import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

interface Definition {
  id: string;
  name: string;
  diskId: number;
  raw: Record<string, unknown>;
}

const DEFINITIONS = 'query($id: ID!) { instance(id: $id) { definitions { id name diskId raw } } }';
const LIST = '{ instances(first: 100) { edges { node { id nativeId } } } }';
const CREATE = 'mutation($input: CreateBackupDefinitionInput!) { createBackupDefinition(input: $input) { definition { id raw } } }';
const UPDATE = 'mutation($input: UpdateBackupDefinitionInput!) { updateBackupDefinition(input: $input) { definition { id retention raw } } }';

/**
 * Danube's definitions carry `backups`, their backups' count, only where asked ("data.extended –
 * Include total number of backups for each backup definition"; the API docs' create and list
 * examples show none), and a definition is one VM disk's. The simulator answered every create,
 * update and GET with a `backups: 0` kept from the definition's creation, and its extended list
 * counted another disk's backups of the same name.
 */
describe("danube: a definition's backups count, as documented", () => {
  let harness: Harness;
  let instanceId: string;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>(LIST);
    expect(answer.errors).toBeUndefined();
    // The third seeded VM: `daily` (4 backups on disk 1) and `weekly` (none).
    instanceId = answer.data!.instances.edges.find((edge) => edge.node.nativeId === 'web03.example.com')!.node.id;
  });
  afterAll(() => harness.close());

  const definitions = async (): Promise<Definition[]> => {
    const answer = await harness.gql<{ instance: { definitions: Definition[] } }>(DEFINITIONS, { id: instanceId });
    expect(answer.errors).toBeUndefined();
    return answer.data!.instance.definitions;
  };

  it("counts each definition's own disk's backups in the list the gateway reads (extended)", async () => {
    const created = await harness.gql<{ createBackupDefinition: { definition: { id: string; raw: Record<string, unknown> } } }>(CREATE, {
      input: { instanceId, name: 'daily', diskId: 2, cron: '0 5 * * *', retention: 3, node: 'node99.erigones.com' },
    });
    expect(created.errors).toBeUndefined();
    // The create's answer is not extended: no count.
    expect(created.data!.createBackupDefinition.definition.raw).not.toHaveProperty('backups');
    const counts = (await definitions()).map((definition) => [definition.name, definition.diskId, definition.raw.backups]);
    expect(counts).toEqual(expect.arrayContaining([['daily', 1, 4], ['weekly', 1, 0], ['daily', 2, 0]]));
  });

  it("answers an update without a count (it said 0 of a definition with 4 backups)", async () => {
    const daily = (await definitions()).find((definition) => definition.name === 'daily' && definition.diskId === 1)!;
    const updated = await harness.gql<{ updateBackupDefinition: { definition: { retention: number; raw: Record<string, unknown> } } }>(UPDATE, { input: { definitionId: daily.id, retention: 9 } });
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateBackupDefinition.definition.retention).toBe(9);
    expect(updated.data!.updateBackupDefinition.definition.raw).not.toHaveProperty('backups');
  });
});
