import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { startHarness, type Harness } from '../helpers/harness.js';

type Listed = { id: string; provider: { id: string; kind: string }; backups: Array<{ id: string }>; schedules: Array<{ id: string }>; definitions: Array<{ id: string; name: string }> };
type Owned = { provider: { id: string; kind: string } };

/** What resolvers pass to the gateway and get back from it: node types the lookup sets, kind filters as the adapters spell kinds. */
describe('node types and kind filters', () => {
  let harness: Harness;
  let danube: Listed[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro', 'danube'] });
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Listed }> } }>('{ instances(first: 500) { edges { node { id provider { id kind } backups { id } schedules { id } definitions { id name } } } } }');
    danube = answer.data!.instances.edges.map((edge) => edge.node).filter((node) => node.provider.id === harness.providerId('danube'));
  }, 30_000);
  afterAll(() => harness.close());

  const typeOf = async (id: string): Promise<{ __typename: string; id: string } | null> => {
    const answer = await harness.gql<{ node: { __typename: string; id: string } | null }>('query($id: ID!) { node(id: $id) { __typename id } }', { id });
    expect(answer.errors).toBeUndefined();
    return answer.data!.node;
  };

  it('node(id) answers a provider, an instance, a backup, a schedule and a definition as their own types', async () => {
    const first = (list: 'backups' | 'schedules' | 'definitions'): string => {
      const id = danube.flatMap((instance) => instance[list])[0]?.id;
      expect(id, `a danube instance with ${list}`).toBeDefined();
      return id as string;
    };
    const cases: Array<[string, string]> = [
      [harness.providerId('danube'), 'Provider'],
      [danube[0]!.id, 'Instance'],
      [first('backups'), 'Backup'],
      [first('schedules'), 'BackupSchedule'],
      [first('definitions'), 'BackupDefinition'],
    ];
    for (const [id, type] of cases) expect(await typeOf(id)).toEqual({ __typename: type, id });
  });

  it('node(id) answers an operation as an Operation', async () => {
    // Danube makes a backup by running one of the instance's definitions.
    const instance = danube.find((candidate) => candidate.definitions.length > 0)!;
    const started = await harness.gql<{ createBackup: { operation: { id: string } } }>(
      'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }',
      { input: { instanceId: instance.id, name: 'node-type', definitionName: instance.definitions[0]!.name } },
    );
    expect(started.errors).toBeUndefined();
    const id = started.data!.createBackup.operation.id;
    expect(await typeOf(id)).toEqual({ __typename: 'Operation', id });
  });

  it('instances(kind:) lists only that kind, and Provider.kind names it', async () => {
    const answer = await harness.gql<{ instances: { totalCount: number; edges: Array<{ node: Owned }> } }>('{ instances(kind: DANUBE, first: 500) { totalCount edges { node { provider { id kind } } } } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.instances.totalCount).toBeGreaterThan(0);
    expect(new Set(answer.data!.instances.edges.map((edge) => `${edge.node.provider.id}/${edge.node.provider.kind}`))).toEqual(new Set([`${harness.providerId('danube')}/DANUBE`]));
  });

  it('backups(filter: { kind }) lists only that kind', async () => {
    const answer = await harness.gql<{ backups: { totalCount: number; edges: Array<{ node: Owned }> } }>('{ backups(filter: { kind: ZOMRO }, first: 500) { totalCount edges { node { provider { id kind } } } } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.backups.totalCount).toBeGreaterThan(0);
    expect(new Set(answer.data!.backups.edges.map((edge) => edge.node.provider.id))).toEqual(new Set([harness.providerId('zomro')]));
  });

  it('protectionSummary(kind:) counts only that kind', async () => {
    const answer = await harness.gql<{ protectionSummary: { providers: Array<Owned> } }>('{ protectionSummary(kind: ZOMRO) { providers { provider { id kind } } } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.protectionSummary.providers).toEqual([{ provider: { id: harness.providerId('zomro'), kind: 'ZOMRO' } }]);
  });

  it('backups(filter: { instanceId }) with the other conditions: all must hold, and an instance they rule out is NOT_FOUND, as one that does not exist', async () => {
    const withBackups = danube.find((instance) => instance.backups.length > 0)!;
    const count = async (filter: Record<string, unknown>) => {
      const answer = await harness.gql<{ backups: { totalCount: number } }>('query($filter: BackupFilter) { backups(filter: $filter) { totalCount } }', { filter });
      return answer.errors ? answer.errors.map((error) => [error.extensions?.code, error.message]) : answer.data!.backups.totalCount;
    };
    expect(await count({ instanceId: withBackups.id })).toBe(withBackups.backups.length);
    expect(await count({ instanceId: withBackups.id, kind: 'DANUBE', providerId: harness.providerId('danube') })).toBe(withBackups.backups.length);
    expect(await count({ instanceId: withBackups.id, kind: 'ZOMRO' })).toEqual([['NOT_FOUND', 'instance not found']]);
    expect(await count({ instanceId: withBackups.id, providerId: harness.providerId('zomro') })).toEqual([['NOT_FOUND', 'instance not found']]);
    expect(await count({ instanceId: withBackups.id, kind: 'ONAPP' })).toEqual([['NOT_FOUND', 'no provider account of kind ONAPP']]);
    // An instance that does not exist: not "no backups".
    expect(await count({ instanceId: encodeId('Instance', harness.providerId('danube'), ['no-such-vm.example.com']) })).toEqual([['NOT_FOUND', 'instance not found']]);
  });
});
