import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

type Listed = { id: string; backups: Array<{ id: string }>; schedules: Array<{ id: string }>; definitions: Array<{ id: string; name: string }> };

/** node(id) answers each implementing type as itself: the type the lookup found, whatever fields the object has. */
describe('node(id): the type of each node', () => {
  let harness: Harness;
  let instances: Listed[];

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Listed }> } }>('{ instances(first: 100) { edges { node { id backups { id } schedules { id } definitions { id name } } } } }');
    expect(answer.errors).toBeUndefined();
    instances = answer.data!.instances.edges.map((edge) => edge.node);
  });
  afterAll(() => harness.close());

  const typeOf = async (id: string): Promise<{ __typename: string; id: string } | null> => {
    const answer = await harness.gql<{ node: { __typename: string; id: string } | null }>('query($id: ID!) { node(id: $id) { __typename id } }', { id });
    expect(answer.errors).toBeUndefined();
    return answer.data!.node;
  };

  it('answers a provider, an instance, a backup, a schedule and a definition as their own types', async () => {
    const first = <K extends 'backups' | 'schedules' | 'definitions'>(list: K): string => {
      const id = instances.flatMap((instance) => instance[list])[0]?.id;
      expect(id, `a danube instance with ${list}`).toBeDefined();
      return id as string;
    };
    const cases: Array<[string, string]> = [
      [harness.providerId('danube'), 'Provider'],
      [instances[0]!.id, 'Instance'],
      [first('backups'), 'Backup'],
      [first('schedules'), 'BackupSchedule'],
      [first('definitions'), 'BackupDefinition'],
    ];
    for (const [id, type] of cases) expect(await typeOf(id)).toEqual({ __typename: type, id });
  });

  it('answers an operation as an Operation', async () => {
    // Danube makes a backup by running one of the instance's definitions.
    const instance = instances.find((candidate) => candidate.definitions.length > 0)!;
    const started = await harness.gql<{ createBackup: { operation: { id: string } } }>(
      'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }',
      { input: { instanceId: instance.id, name: 'node-type', definitionName: instance.definitions[0]!.name } },
    );
    expect(started.errors).toBeUndefined();
    const id = started.data!.createBackup.operation.id;
    expect(await typeOf(id)).toEqual({ __typename: 'Operation', id });
  });
});
