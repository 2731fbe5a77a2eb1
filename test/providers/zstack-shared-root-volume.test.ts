import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

interface Node {
  nativeId: string;
  backups: Array<{ id: string }> | null;
  protection: { status: string } | null;
}
const QUERY = '{ instances(first: 100) { edges { node { nativeId backups { id } protection { status } } } } }';

/**
 * Two VM rows naming one root volume: a root volume is one VM's, so the node's answer is wrong
 * about at least one of them. The volume's backups went to the first row's VM (whose protection
 * they vouched for) and the other read none (UNPROTECTED), or the reverse had the node listed the
 * rows the other way round. Neither VM's backups are trusted: each VM's list is the provider's
 * INVALID_RESPONSE naming both, its protection UNKNOWN; the other VMs answer.
 */
describe('zstack: a root volume claimed by two VM rows', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  const twin = 'c'.repeat(32);
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
  });
  afterEach(() => {
    simulator.omitsVmInstanceUuid = false;
    const at = simulator.vms.findIndex((row) => row.uuid === twin);
    if (at >= 0) simulator.vms.splice(at, 1);
  });
  afterAll(() => harness.close());

  it.each([
    ['rows naming their VM', false],
    ['rows naming no VM', true],
  ])("answers neither VM's backups, each an INVALID_RESPONSE naming both (%s)", async (_what, omitsVm) => {
    const before = (await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(QUERY)).data!.instances.edges.map((edge) => edge.node);
    const owner = before.find((node) => (node.backups?.length ?? 0) > 0)!;
    const row = simulator.vms.find((vm) => vm.uuid === owner.nativeId)!;
    simulator.vms.push({ ...row, uuid: twin, name: 'twin' });
    simulator.omitsVmInstanceUuid = omitsVm;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(QUERY);
    const nodes = answer.data!.instances.edges.map((edge) => edge.node);
    const claimants = [owner.nativeId, twin];
    for (const claimant of claimants) {
      const node = nodes.find((item) => item.nativeId === claimant)!;
      expect(node.backups).toBeNull();
      expect(node.protection?.status).toBe('UNKNOWN');
    }
    const errors = answer.errors ?? [];
    expect(errors.map((error) => [error.extensions?.code, error.extensions?.providerCode])).toEqual([
      ['PROVIDER_ERROR', 'INVALID_RESPONSE'],
      ['PROVIDER_ERROR', 'INVALID_RESPONSE'],
    ]);
    for (const error of errors) for (const claimant of claimants) expect(error.message).toContain(claimant);
    const others = nodes.filter((node) => !claimants.includes(node.nativeId));
    expect(others).toEqual(before.filter((node) => node.nativeId !== owner.nativeId));
  });
});
