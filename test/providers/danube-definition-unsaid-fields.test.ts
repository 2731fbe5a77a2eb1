import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const INSTANCES = '{ instances(first: 1) { edges { node { id } } } }';
const CREATE = 'mutation($input: CreateBackupDefinitionInput!) { createBackupDefinition(input: $input) { definition { name compression fsfreeze } } }';
const DEFINITIONS = 'query($id: ID!) { instance(id: $id) { definitions { name compression fsfreeze } } }';

const DEFINITION_IDS = 'query($id: ID!) { instance(id: $id) { definitions { id name } } }';
const UPDATE = 'mutation($input: UpdateBackupDefinitionInput!) { updateBackupDefinition(input: $input) { definition { name compression fsfreeze } } }';

type Definition = { name: string; compression: string | null; fsfreeze: boolean | null };

/**
 * The Danube API docs' definition examples (the create's answer, the VM's list) carry no
 * `compression` or `fsfreeze`: a record that does not say. The schema's `compression` is "null where
 * the provider's record does not say"; it read NONE, the create's default, for a definition made
 * with gzip, and the create's own payload said NONE for the gzip it had just sent.
 */
describe('danube: a definition whose record leaves out compression and fsfreeze, as the API docs show it', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let instanceId: string;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    instanceId = (await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(INSTANCES)).data!.instances.edges[0]!.node.id;
  });
  afterAll(() => harness.close());

  const create = (name: string) =>
    harness.gql<{ createBackupDefinition: { definition: Definition } }>(CREATE, {
      input: { instanceId, name, cron: '0 4 * * *', retention: 3, node: 'node99.erigones.com', compression: 'GZIP', fsfreeze: true },
    });
  const listed = async (name: string): Promise<Definition | undefined> =>
    (await harness.gql<{ instance: { definitions: Definition[] } }>(DEFINITIONS, { id: instanceId })).data!.instance.definitions.find((definition) => definition.name === name);

  it("the create's and update's payloads say the compression (and fsfreeze) Danube took; the list, which does not say them, reads null", async () => {
    simulator.definitionsAsDocumented = true;
    try {
      const answer = await create('doczip');
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.createBackupDefinition.definition).toEqual({ name: 'doczip', compression: 'GZIP', fsfreeze: true });
      expect(await listed('doczip')).toEqual({ name: 'doczip', compression: null, fsfreeze: null });
      const definitionId = (await harness.gql<{ instance: { definitions: Array<{ id: string; name: string }> } }>(DEFINITION_IDS, { id: instanceId })).data!.instance.definitions.find((definition) => definition.name === 'doczip')!.id;
      const updated = await harness.gql<{ updateBackupDefinition: { definition: Definition } }>(UPDATE, { input: { definitionId, compression: 'XZ' } });
      expect(updated.errors).toBeUndefined();
      expect(updated.data!.updateBackupDefinition.definition).toEqual({ name: 'doczip', compression: 'XZ', fsfreeze: null });
    } finally {
      simulator.definitionsAsDocumented = false;
    }
  });

  it('guard: a record that names them (esdc-ce) is read as it says, in the payload and the list', async () => {
    const answer = await create('fullzip');
    expect(answer.data!.createBackupDefinition.definition).toEqual({ name: 'fullzip', compression: 'GZIP', fsfreeze: true });
    expect(await listed('fullzip')).toEqual({ name: 'fullzip', compression: 'GZIP', fsfreeze: true });
  });
});
