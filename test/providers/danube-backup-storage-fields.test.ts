import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { startHarness, type Harness } from '../helpers/harness.js';

interface Node {
  nativeId: string;
  backups: Array<{ nativeId: string; raw: Record<string, unknown> }>;
}

const LIST = '{ instances(first: 100) { edges { node { nativeId backups { nativeId raw } } } } }';

/**
 * providers.md lists a Danube backup's fields as `hostname`, `vm_uuid`, `vm`, `define`, `name`,
 * `disk_id`, `type`, `node`, `zpool`, `created`, `size`, `time`, `file_path`, `note`, `status`: the
 * simulator sent neither `type` nor `file_path`, so the gateway was never shown the backup node's
 * path, an internal storage location as the zpool (hidden) is, which then reached every backup's raw.
 */
describe('danube: the documented backup fields type and file_path', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let text: string;
  let nodes: Node[];

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'] });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
    expect(answer.errors).toBeUndefined();
    text = JSON.stringify(answer);
    nodes = answer.data!.instances.edges.map((edge) => edge.node);
  });
  afterAll(() => harness.close());

  it('keeps the backup type (1 dataset, 2 file) in raw', () => {
    const backups = nodes.flatMap((node) => node.backups);
    expect(backups.length).toBeGreaterThan(0);
    for (const backup of backups) expect(backup.raw.type).toBe(1);
  });

  it("never shows a backup's file_path, nor the path itself anywhere in the answer", () => {
    const paths = simulator.backups.map((backup) => backup.file_path);
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect(path).toEqual(expect.stringContaining('/backups/'));
    for (const backup of nodes.flatMap((node) => node.backups)) expect(backup.raw).not.toHaveProperty('file_path');
    for (const path of paths) expect(text).not.toContain(String(path));
  });
});
