import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../helpers/harness.js';

interface Schedule {
  id: string;
  nextRunAt: string | null;
}
interface Definition {
  id: string;
  active: boolean;
  schedule: Schedule;
  instance: { schedules: Schedule[] };
}

const UPDATE =
  'mutation($id: ID!, $active: Boolean!) { updateBackupDefinition(input: { definitionId: $id, active: $active }) { definition { id active schedule { id nextRunAt } instance { schedules { id nextRunAt } } } } }';

/**
 * A dashboard shows "next backup" from BackupSchedule.nextRunAt. A disabled
 * Danube definition runs nothing, yet its schedule still showed the cron's
 * next time (protection already knew better and left it out).
 */
describe("Danube: an inactive definition's schedule has no next run", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
  });
  afterAll(() => harness.close());

  it('null while the definition is inactive, in the definition and in the instance\'s schedules; the next run again once active', async () => {
    const list = await harness.gql<{ instances: { edges: Array<{ node: { definitions: Array<{ id: string }> } }> } }>('{ instances(first: 10) { edges { node { definitions { id } } } } }');
    const definitionId = list.data!.instances.edges.flatMap((edge) => edge.node.definitions)[0]!.id;

    const paused = await harness.gql<{ updateBackupDefinition: { definition: Definition } }>(UPDATE, { id: definitionId, active: false });
    expect(paused.errors).toBeUndefined();
    const inactive = paused.data!.updateBackupDefinition.definition;
    expect(inactive.active).toBe(false);
    expect(inactive.schedule.nextRunAt).toBeNull();
    expect(inactive.instance.schedules.find((schedule) => schedule.id === inactive.schedule.id)).toEqual({ id: inactive.schedule.id, nextRunAt: null });

    const resumed = await harness.gql<{ updateBackupDefinition: { definition: Definition } }>(UPDATE, { id: definitionId, active: true });
    const active = resumed.data!.updateBackupDefinition.definition;
    expect(active.schedule.nextRunAt).toEqual(expect.any(String));
    expect(active.instance.schedules.find((schedule) => schedule.id === active.schedule.id)?.nextRunAt).toBe(active.schedule.nextRunAt);
  });
});
