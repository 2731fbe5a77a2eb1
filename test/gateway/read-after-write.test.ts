import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

const SCHEDULES = 'query($id: ID!) { instance(id: $id) { schedules { id name } } }';
const DEFINITIONS = 'query($id: ID!) { instance(id: $id) { definitions { id name retention } } }';

/**
 * With the read cache on, a read after the gateway's own write sees the
 * write: a mutation drops every cached list of its instance (schedules and
 * definitions too, not only backups).
 */
describe('read cache: read after write for schedules and definitions', () => {
  let harness: Harness;
  let zomroInstance: string;
  let danubeInstance: string;

  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro', 'danube'],
      configure: withProviderSettings({ cacheTtlMs: 600_000 }),
    });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; provider: { id: string } } }> } }>('{ instances { edges { node { id provider { id } } } } }');
    const nodes = list.data!.instances.edges.map((edge) => edge.node);
    zomroInstance = nodes.find((node) => node.provider.id === 'zomro-test')!.id;
    danubeInstance = nodes.find((node) => node.provider.id === 'danube-test')!.id;
  });
  afterAll(() => harness.close());

  /**
   * Reads twice: the second read's lists must come from the cache (only the
   * instance itself is looked up again), so the test knows the cache is in play.
   */
  const cachedRead = async <T>(query: string, id: string, instanceLookup: string): Promise<T> => {
    await harness.gql(query, { id });
    harness.resetUpstreamLogs();
    const answer = await harness.gql<T>(query, { id });
    expect(answer.errors).toBeUndefined();
    expect([...harness.simulators.values()].flatMap((simulator) => simulator.server.log.map((request) => request.label)).filter((label) => label !== instanceLookup)).toEqual([]);
    return answer.data!;
  };

  it('a created and then deleted schedule shows at once in the instance read from the cache', async () => {
    type Answer = { instance: { schedules: Array<{ id: string; name: string }> } };
    const before = await cachedRead<Answer>(SCHEDULES, zomroInstance, 'instances');
    const created = await harness.gql<{ createBackupSchedule: { schedule: { id: string } } }>(
      'mutation($input: CreateBackupScheduleInput!) { createBackupSchedule(input: $input) { schedule { id } } }',
      { input: { instanceId: zomroInstance, name: 'after-write', weekdays: ['TUESDAY'], time: '02:30' } },
    );
    expect(created.errors).toBeUndefined();
    const scheduleId = created.data!.createBackupSchedule.schedule.id;
    expect(before.instance.schedules.map((item) => item.id)).not.toContain(scheduleId);

    const afterCreate = await harness.gql<Answer>(SCHEDULES, { id: zomroInstance });
    expect(afterCreate.data?.instance.schedules.map((item) => item.id)).toContain(scheduleId);

    await cachedRead<Answer>(SCHEDULES, zomroInstance, 'instances');
    const deleted = await harness.gql('mutation($input: DeleteBackupScheduleInput!) { deleteBackupSchedule(input: $input) { deletedId } }', { input: { scheduleId } });
    expect(deleted.errors).toBeUndefined();
    const afterDelete = await harness.gql<Answer>(SCHEDULES, { id: zomroInstance });
    expect(afterDelete.data?.instance.schedules.map((item) => item.id)).not.toContain(scheduleId);
  });

  it('a created, changed and deleted definition shows at once in the instance read from the cache', async () => {
    type Answer = { instance: { definitions: Array<{ id: string; name: string; retention: number }> } };
    await cachedRead<Answer>(DEFINITIONS, danubeInstance, 'GET /vm');
    const created = await harness.gql<{ createBackupDefinition: { definition: { id: string } } }>(
      'mutation($input: CreateBackupDefinitionInput!) { createBackupDefinition(input: $input) { definition { id } } }',
      { input: { instanceId: danubeInstance, name: 'aftrwrit', cron: '15 1 * * *', retention: 5, node: 'node99.erigones.com' } },
    );
    expect(created.errors).toBeUndefined();
    const definitionId = created.data!.createBackupDefinition.definition.id;
    const afterCreate = await harness.gql<Answer>(DEFINITIONS, { id: danubeInstance });
    expect(afterCreate.data?.instance.definitions.find((item) => item.id === definitionId)).toMatchObject({ name: 'aftrwrit', retention: 5 });

    await cachedRead<Answer>(DEFINITIONS, danubeInstance, 'GET /vm');
    const updated = await harness.gql('mutation($input: UpdateBackupDefinitionInput!) { updateBackupDefinition(input: $input) { definition { id } } }', { input: { definitionId, retention: 9 } });
    expect(updated.errors).toBeUndefined();
    const afterUpdate = await harness.gql<Answer>(DEFINITIONS, { id: danubeInstance });
    expect(afterUpdate.data?.instance.definitions.find((item) => item.id === definitionId)?.retention).toBe(9);

    await cachedRead<Answer>(DEFINITIONS, danubeInstance, 'GET /vm');
    const deleted = await harness.gql('mutation($input: DeleteBackupDefinitionInput!) { deleteBackupDefinition(input: $input) { deletedId } }', { input: { definitionId } });
    expect(deleted.errors).toBeUndefined();
    const afterDelete = await harness.gql<Answer>(DEFINITIONS, { id: danubeInstance });
    expect(afterDelete.data?.instance.definitions.map((item) => item.id)).not.toContain(definitionId);
  });
});
