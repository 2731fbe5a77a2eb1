import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const VIEW = '{ instances(first: 100) { edges { node { nativeId backups { nativeId sizeBytes } } } } }';
type Listed = { instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ nativeId: string; sizeBytes: number | null }> | null } }> } };

/** Each VM's backups as the gateway answered them, sorted. */
const backupsByVm = (answer: { data?: Listed | null }): Record<string, string[]> =>
  Object.fromEntries(answer.data!.instances.edges.map(({ node }) => [node.nativeId, (node.backups ?? []).map((backup) => `${backup.nativeId}:${backup.sizeBytes}`).sort()]));

/**
 * Every VM's row names no root volume (so each is asked by `vmInstanceUuid?=`), on a node that
 * ignores the per-VM conditions and answers every VM's rows to each query: each VM still shows
 * its own backups only, each once with its whole size, as with root volumes and a node that filters.
 */
describe('zstack: every VM asked by vmInstanceUuid?= on a node that ignores the condition', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
  });
  afterAll(() => harness.close());

  it("shows each VM's own backups, as asked by its volumes from a node that filters", async () => {
    const baseline = await harness.gql<Listed>(VIEW);
    expect(baseline.errors).toBeUndefined();
    const expected = backupsByVm(baseline);
    expect(Object.values(expected).some((backups) => backups.length > 0)).toBe(true);
    const saved = simulator.vms.map((row) => ({ ...row }));
    simulator.ignoresVmFilter = true;
    for (const row of simulator.vms) {
      delete row.rootVolumeUuid;
      delete row.allVolumes;
    }
    try {
      const answer = await harness.gql<Listed>(VIEW);
      expect(answer.errors).toBeUndefined();
      expect(backupsByVm(answer)).toEqual(expected);
    } finally {
      simulator.ignoresVmFilter = false;
      simulator.vms.forEach((row, index) => Object.assign(row, saved[index]));
    }
  });
});
