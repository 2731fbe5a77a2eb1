import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

/**
 * Issue 18 item 3: Instance, BackupSchedule and BackupDefinition carry the
 * provider's record, through the same filter as Backup.raw, so documented
 * fields the schema does not name reach a client.
 */
interface Node {
  provider: { kind: string };
  raw: Record<string, unknown>;
  schedules: Array<{ raw: Record<string, unknown> }> | null;
  definitions: Array<{ raw: Record<string, unknown>; schedule: { raw: Record<string, unknown> } }> | null;
}

describe('raw records on instances, schedules and definitions', () => {
  let harness: Harness;
  let nodes: Node[];

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro', 'onapp', 'zstack', 'danube'] });
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(
      '{ instances(first: 1000) { edges { node { provider { kind } raw schedules { raw } definitions { raw schedule { raw } } } } } }',
    );
    expect(answer.errors).toBeUndefined();
    nodes = answer.data!.instances.edges.map((edge) => edge.node);
  });
  afterAll(() => harness.close());

  const of = (kind: string) => nodes.filter((node) => node.provider.kind === kind);

  it('Zomro ip, Danube ram, ZStack memorySize on Instance.raw', () => {
    expect(of('ZOMRO')[0]!.raw.ip).toEqual(expect.any(String));
    expect(of('DANUBE')[0]!.raw.ram).toEqual(expect.any(Number));
    expect(of('ZSTACK')[0]!.raw.memorySize).toEqual(expect.any(Number));
  });

  it('OnApp rotation_period on BackupSchedule.raw, Danube type on BackupDefinition.raw (hidden fields filtered)', () => {
    const schedule = of('ONAPP').flatMap((node) => node.schedules ?? [])[0]!;
    expect(schedule.raw.rotation_period).toEqual(expect.any(Number));
    const definition = of('DANUBE').flatMap((node) => node.definitions ?? [])[0]!;
    expect(definition.raw.type).toEqual(expect.any(Number));
    expect(definition.schedule.raw.type).toEqual(expect.any(Number));
    // DANUBE_RAW_HIDDEN names zpool: the same filter as Backup.raw.
    expect(definition.raw).not.toHaveProperty('zpool');
  });
});
