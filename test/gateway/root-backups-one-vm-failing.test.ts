import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

interface ProviderErrorRow {
  provider: { id: string };
  code: string;
  message: string;
}
interface Answer {
  instances: { edges: Array<{ node: { id: string; nativeId: string; backups: Array<{ id: string }> | null } }> };
  backups: { totalCount: number; edges: Array<{ node: { id: string } }>; providerErrors: ProviderErrorRow[] } | null;
}
const QUERY = `{
  instances(first: 100) { edges { node { id nativeId backups { id } } } }
  backups(first: 500) { totalCount edges { node { id } } providerErrors { provider { id } code message } }
}`;

/**
 * The root `backups` field read each VM's list of an account and gave up the whole account
 * (PROVIDER_ERROR, no backups at all) when one VM's list failed, here a ZStack VM listed with a
 * uuid of no ZStack uuid's shape. The other VMs' backups are answered; the failed VM's list is
 * named, by its instance id, in `providerErrors` (so `totalCount` is known to be short) and in an
 * error at the field's path, as `instances { backups }` names it at that VM's path.
 */
describe('root backups: one VM whose backup list fails', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  const hostileUuid = 'a'.repeat(31);
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    const model = simulator.vms.find((row) => row.type === 'UserVm')!;
    simulator.vms.push({ ...model, uuid: hostileUuid, name: 'hostile-uuid', rootVolumeUuid: 'b'.repeat(32), allVolumes: [] });
  });
  afterAll(() => harness.close());

  it("answers the other VMs' backups and names the failed VM's list", async () => {
    const answer = await harness.gql<Answer>(QUERY);
    const edges = answer.data!.instances.edges;
    const failed = edges.find((edge) => edge.node.nativeId === hostileUuid)!;
    expect(failed.node.backups).toBeNull();
    const others = new Set(edges.flatMap((edge) => edge.node.backups ?? []).map((backup) => backup.id));
    expect(others.size).toBeGreaterThan(0);
    const backups = answer.data!.backups!;
    expect(new Set(backups.edges.map((edge) => edge.node.id))).toEqual(others);
    expect(backups.totalCount).toBe(others.size);
    expect(backups.providerErrors.map((error) => [error.provider.id, error.code])).toEqual([['zstack-test', 'PROVIDER_ERROR']]);
    expect(backups.providerErrors[0]!.message).toContain(`backups of instance ${failed.node.id} not read`);
    const rootErrors = (answer.errors ?? []).filter((error) => error.path?.[0] === 'backups');
    expect(rootErrors.map((error) => [error.path?.join('.'), error.extensions?.code, error.extensions?.provider, error.extensions?.providerCode])).toEqual([
      ['backups', 'PROVIDER_ERROR', 'zstack-test', 'INVALID_RESPONSE'],
    ]);
    expect(rootErrors[0]!.message).toContain(failed.node.id);
    expect(JSON.stringify([answer.errors, backups])).not.toContain(hostileUuid);
  });
});
