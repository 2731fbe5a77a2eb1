import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

interface Shown {
  nativeId: string;
  backups: Array<{ nativeId: string; sizeBytes: number | null }>;
}

const VIEW = '{ instances(first: 100) { edges { node { nativeId backups { nativeId sizeBytes } } } } }';

/**
 * ZStack orders a query only when asked (`sort`); without it the database's order may change
 * from one page to the next, so a page boundary skips one row and repeats another. The simulator
 * plays that (a different shuffle per unsorted answer) with pages of five rows.
 */
describe('zstack: queries are read in one order across their pages', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.unsortedWithoutSort = true;
    simulator.pageCap = 5;
  });
  afterAll(() => harness.close());

  it('lists every VM once and each VM every backup once, with its volumes counted once (pages skipped and repeated rows without sort)', async () => {
    // What ZStack holds: each VM's backup groups and the bytes of their volumes.
    const truth = new Map<string, Map<string, number>>();
    for (const volume of simulator.volumeBackups) {
      const groups = truth.get(String(volume.vmInstanceUuid)) ?? new Map<string, number>();
      groups.set(String(volume.groupUuid), (groups.get(String(volume.groupUuid)) ?? 0) + Number(volume.size));
      truth.set(String(volume.vmInstanceUuid), groups);
    }
    expect(simulator.volumeBackups.length).toBeGreaterThan(3 * 5);

    for (let round = 0; round < 3; round++) {
      const answer = await harness.gql<{ instances: { edges: Array<{ node: Shown }> } }>(VIEW);
      expect(answer.errors).toBeUndefined();
      const shown = answer.data!.instances.edges.map((edge) => edge.node);
      expect(shown.map((instance) => instance.nativeId).sort()).toEqual(simulator.vms.map((vm) => String(vm.uuid)).sort());
      for (const instance of shown) {
        const expected = [...(truth.get(instance.nativeId) ?? new Map<string, number>())].map(([nativeId, sizeBytes]) => ({ nativeId, sizeBytes })).sort((a, b) => a.nativeId.localeCompare(b.nativeId));
        expect([...instance.backups].sort((a, b) => a.nativeId.localeCompare(b.nativeId))).toEqual(expected);
      }
    }
  });

  it('sends sort=+uuid with every page of both queries', async () => {
    harness.resetUpstreamLogs();
    await harness.gql(VIEW);
    const queries = harness.simulator('zstack').server.log.filter((item) => item.method === 'GET' && /vm-instances|volume-backups/.test(item.label));
    expect(queries.length).toBeGreaterThan(2);
    for (const item of queries) expect(new URLSearchParams(item.query).get('sort')).toBe('+uuid');
  });
});
