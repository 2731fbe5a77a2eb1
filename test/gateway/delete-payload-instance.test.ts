import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

interface Listed {
  id: string;
}
type Instances = { instances: { edges: Array<{ node: { id: string; schedules: Listed[]; definitions: Listed[] } }> } };

/**
 * A dashboard on a normalised cache deletes a schedule or a definition: the
 * instance's cached list still holds it unless the mutation's answer brings
 * the list again. DeletePayload held the deleted id alone, so the list took
 * a second request (or a hand-written cache update) to lose the row.
 */
describe("a delete's payload brings the instance's lists as they are after it", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp', 'danube'] });
  });
  afterAll(() => harness.close());

  const firstWith = async (kind: string, list: 'schedules' | 'definitions') => {
    const answer = await harness.gql<Instances>('query($kind: ProviderKind!) { instances(first: 100, kind: $kind) { edges { node { id schedules { id } definitions { id } } } } }', { kind });
    return answer.data!.instances.edges.map((edge) => edge.node).find((node) => node[list].length > 0)!;
  };

  it('deleteBackupSchedule (OnApp): the instance without the schedule, in the same answer', async () => {
    const instance = await firstWith('ONAPP', 'schedules');
    const [deleted, ...kept] = instance.schedules;
    const answer = await harness.gql<{ deleteBackupSchedule: { deletedId: string; instance: { id: string; schedules: Listed[] } } }>(
      'mutation($id: ID!) { deleteBackupSchedule(input: { scheduleId: $id }) { deletedId instance { id schedules { id } } } }',
      { id: deleted!.id },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.deleteBackupSchedule).toEqual({ deletedId: deleted!.id, instance: { id: instance.id, schedules: kept } });
  });

  it('deleteBackupDefinition (Danube): the instance without the definition, and without its schedule', async () => {
    const instance = await firstWith('DANUBE', 'definitions');
    const [deleted, ...kept] = instance.definitions;
    const answer = await harness.gql<{ deleteBackupDefinition: { deletedId: string; instance: { id: string; definitions: Listed[]; schedules: Listed[] } } }>(
      'mutation($id: ID!) { deleteBackupDefinition(input: { definitionId: $id }) { deletedId instance { id definitions { id } schedules { id } } } }',
      { id: deleted!.id },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.deleteBackupDefinition).toMatchObject({ deletedId: deleted!.id, instance: { id: instance.id, definitions: kept } });
    expect(answer.data!.deleteBackupDefinition.instance.schedules).toHaveLength(kept.length);
  });
});
