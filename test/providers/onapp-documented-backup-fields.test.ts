import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

interface Node {
  backups: Array<{ raw: Record<string, unknown> }>;
}

const LIST = '{ instances { edges { node { backups { raw } } } } }';

/**
 * OnApp's backups/images document answers each backup with the fields of its JSON sample; the
 * simulator left seven out (`allow_resize_without_reboot`, `allowed_hot_migrate`, `allowed_swap`,
 * `iqn`, `template_id`, `user_id`, `volume_id`). A backup's raw carries the documented ones the
 * schema does not name, but `iqn` (an internal storage location: secrets.ts).
 */
describe('onapp: the backup record as documented', () => {
  let harness: Harness;
  let nodes: Node[];

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'] });
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
    expect(answer.errors).toBeUndefined();
    nodes = answer.data!.instances.edges.map((edge) => edge.node);
  });
  afterAll(() => harness.close());

  it("carries every field of the docs' sample in raw, but iqn", () => {
    const backups = nodes.flatMap((node) => node.backups);
    expect(backups.length).toBeGreaterThan(0);
    for (const { raw } of backups) {
      expect(raw).toMatchObject({ allow_resize_without_reboot: expect.any(Boolean), allowed_hot_migrate: expect.any(Boolean), allowed_swap: expect.any(Boolean), template_id: expect.any(Number), user_id: expect.any(Number), volume_id: null });
      expect(raw).not.toHaveProperty('iqn');
    }
  });
});
