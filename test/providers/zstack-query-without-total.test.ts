import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withLimits, withProviderSettings, type Harness } from '../helpers/harness.js';

const VIEW = '{ instances(first: 100) { edges { node { nativeId backups { nativeId } } } } }';

/**
 * A node that leaves `total` out (one older than `replyWithCount`) and caps `limit` at 5, below
 * the gateway's page: a page of 5 is its cap, not the end, and nothing in the answer says so.
 */
describe('zstack: a query answered without total on a node capping its pages', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], simulator: { instances: 12 }, configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.omitsTotal = true;
    simulator.pageCap = 5;
  });
  afterAll(() => harness.close());

  it('lists every VM and every backup group, reading on past short pages to an empty one', async () => {
    const groups = new Map<string, Set<string>>();
    for (const volume of simulator.volumeBackups) {
      const vm = String(volume.vmInstanceUuid);
      groups.set(vm, (groups.get(vm) ?? new Set<string>()).add(String(volume.groupUuid)));
    }
    expect(simulator.vms.length).toBeGreaterThan(2 * 5);
    expect(simulator.volumeBackups.length).toBeGreaterThan(2 * 5);

    harness.resetUpstreamLogs();
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ nativeId: string }> } }> } }>(VIEW);
    expect(answer.errors).toBeUndefined();
    const shown = answer.data!.instances.edges.map((edge) => edge.node);
    expect(shown).toHaveLength(simulator.vms.length);
    expect(shown.map((instance) => instance.nativeId).sort()).toEqual(simulator.vms.map((vm) => String(vm.uuid)).sort());
    const backupsShown = shown.reduce((sum, instance) => sum + instance.backups.length, 0);
    const backupsHeld = [...groups.values()].reduce((sum, set) => sum + set.size, 0);
    expect(backupsShown).toBe(backupsHeld);

    // The VM query read every page of 5 and ended on the empty one after them.
    const vmPages = harness.simulator('zstack').server.log.filter((item) => item.method === 'GET' && /vm-instances/.test(item.label));
    expect(vmPages).toHaveLength(Math.ceil(simulator.vms.length / 5) + 1);
  });
});

/** The bound such a list reads to: the request's upstream calls. A node capping at one row per page spends them all. */
describe('zstack: a query without total on a node capping pages at one row, past the request budget', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], simulator: { instances: 12 }, configure: [withProviderSettings({ cacheTtlMs: 0 }), withLimits({ maxUpstreamCallsPerRequest: 8 })] });
    const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.omitsTotal = true;
    simulator.pageCap = 1;
  });
  afterAll(() => harness.close());

  it('answers QUERY_TOO_COMPLEX, not a list cut at the bound', async () => {
    const answer = await harness.gql<{ instances: { edges: unknown[]; providerErrors: Array<{ code: string }> } }>('{ instances(first: 100) { edges { node { nativeId } } providerErrors { code } } }');
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.instances.edges).toEqual([]);
    expect(answer.data!.instances.providerErrors.map((error) => error.code)).toEqual(['QUERY_TOO_COMPLEX']);
  });
});
