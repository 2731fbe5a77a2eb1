import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

interface Node {
  nativeId: string;
  backups: Array<{ nativeId: string }> | null;
  protection: { status: string } | null;
}
interface Answer {
  instances: { edges: Array<{ node: Node }> };
  protectionSummary: { counts: { instances: number; unprotected: number; unknown: number }; providerErrors: Array<{ provider: { id: string }; code: string; message: string }> };
}
const QUERY = `{
  instances(first: 100) { edges { node { nativeId backups { nativeId } protection { status } } } }
  protectionSummary { counts { instances unprotected unknown } providerErrors { provider { id } code message } }
}`;

/**
 * ZStack's backups are asked by VM and volume uuids (`vmInstanceUuid?=`, `volumeUuid?=`), 32 hex
 * digits, and a VM listed with a uuid of any other shape (but readable: under 512 bytes) was never
 * asked for: its backups came back an empty list with no error, and its protection UNPROTECTED,
 * where the gateway had simply not asked. Its backups are the provider's INVALID_RESPONSE at their
 * path (as an OnApp or Zomro VM id of no integer's shape is), the other VMs' answered, the id never
 * quoted nor sent; its protection UNKNOWN, the account named among protectionSummary's errors.
 */
describe('zstack: a VM listed with a uuid of no ZStack uuid\'s shape', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
  });
  afterAll(() => harness.close());

  it.each([
    ['"../"', '../vm-instances/x'],
    ['"%2F"', 'a%2F..'],
    ['"?"', 'a?x=1'],
    ['","', 'hostile,vm'],
    ['CR LF', 'a\r\nX-Injected: 1'],
    ['upper-case hex', 'A'.repeat(32)],
    ['31 hex digits', 'a'.repeat(31)],
  ])("has its backups as the provider's INVALID_RESPONSE and its protection UNKNOWN, never an empty list (%s)", async (_what, uuid) => {
    const model = simulator.vms.find((row) => row.type === 'UserVm')!;
    simulator.vms.push({ ...model, uuid, name: 'hostile-uuid', rootVolumeUuid: 'b'.repeat(32), allVolumes: [] });
    try {
      harness.resetUpstreamLogs();
      const answer = await harness.gql<Answer>(QUERY);
      const edges = answer.data!.instances.edges;
      const index = edges.findIndex((edge) => edge.node.nativeId === uuid);
      expect(index).toBeGreaterThanOrEqual(0);
      const errors = (answer.errors ?? []).map((error) => [error.path?.join('.'), error.extensions?.code, error.extensions?.providerCode]);
      expect(errors).toEqual([[`instances.edges.${index}.node.backups`, 'PROVIDER_ERROR', 'INVALID_RESPONSE']]);
      expect(answer.errors![0]!.message).toMatch(/^provider zstack-test listed an object whose uuid is no ZStack uuid \(32 hex digits\)/);
      expect(edges[index]!.node.protection?.status).toBe('UNKNOWN');
      expect(edges.filter((edge, at) => at !== index && (edge.node.backups === null || edge.node.protection?.status === 'UNKNOWN'))).toEqual([]);
      const summary = answer.data!.protectionSummary;
      expect(summary.counts.unknown).toBe(1);
      expect(summary.providerErrors.map((error) => [error.provider.id, error.code])).toEqual([['zstack-test', 'PROVIDER_ERROR']]);
      expect(summary.providerErrors[0]!.message).toMatch(/^provider zstack-test listed /);
      const sent = harness.simulator('zstack').server.log.map((request) => `${request.rawPath}?${request.query}`);
      expect(sent.filter((line) => line.includes(encodeURIComponent(uuid)) || line.includes(uuid))).toEqual([]);
    } finally {
      simulator.vms.splice(simulator.vms.findIndex((row) => row.uuid === uuid), 1);
    }
  });
});
