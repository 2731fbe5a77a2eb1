import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VM_FIELD_REFUSAL_KEPT_MS } from '../../src/providers/zstack/adapter.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { MAX_VOLUMES_PER_VM } from '../../src/providers/zstack/vm-volumes.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const VIEW = '{ instances(first: 100) { edges { node { id nativeId backups { id nativeId sizeBytes status } } } } }';

type Shown = { id: string; nativeId: string; backups: Array<{ id: string; nativeId: string; sizeBytes: number | null; status: string }> };

const hex32 = (index: number): string => index.toString(16).padStart(32, 'e');

/**
 * The API docs' volume-backup fields do not list `vmInstanceUuid`, and ZStack's query builder
 * refuses a condition on a field its inventory lacks (SYS.1007, a failed query's 503). The gateway
 * asks by it for a VM past the volume cap or no longer listed: one such VM failed the backups of
 * every VM of the dashboard.
 */
describe('zstack: a node refusing vmInstanceUuid as a query field', () => {
  let harness: Harness;
  const zstack = () => harness.simulator('zstack').simulator as ZstackSimulator;
  const vmFieldQueries = (): number =>
    harness
      .simulator('zstack')
      .server.log.filter((item) => item.label === 'GET /zstack/v1/volume-backups' && decodeURIComponent(item.query).includes('vmInstanceUuid?='))
      .length;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
  });
  afterAll(() => harness.close());

  it('answers every VM of the dashboard, the VM past the volume cap by its volumes, and asks by the field no more (it failed them all)', async () => {
    const view = async () => harness.gql<{ instances: { edges: Array<{ node: Shown }> } }>(VIEW);
    const before = (await view()).data!.instances.edges.map((edge) => edge.node);
    const crowded = zstack().vms.find((vm) => vm.uuid === before.filter((node) => node.backups.length > 0)[0]!.nativeId)!;
    crowded.allVolumes = [...(crowded.allVolumes as unknown[]), ...Array.from({ length: MAX_VOLUMES_PER_VM + 6 }, (_, index) => ({ uuid: hex32(index), type: 'Data' }))];
    zstack().refusesUnknownQueryFields = true;

    harness.resetUpstreamLogs();
    const refused = await view();
    expect(refused.errors).toBeUndefined();
    expect(refused.data!.instances.edges.map((edge) => edge.node)).toEqual(before);
    expect(vmFieldQueries()).toBe(1);

    harness.resetUpstreamLogs();
    const again = await view();
    expect(again.errors).toBeUndefined();
    expect(again.data!.instances.edges.map((edge) => edge.node)).toEqual(before);
    expect(vmFieldQueries()).toBe(0);
  });

  it('answers a backup of a VM no longer listed with a typed error saying why, not ZStack\'s bare invalid argument', async () => {
    const before = (await harness.gql<{ instances: { edges: Array<{ node: Shown }> } }>(VIEW)).data!.instances.edges.map((edge) => edge.node);
    const node = before.filter((item) => item.backups.length > 0)[1]!;
    const index = zstack().vms.findIndex((vm) => vm.uuid === node.nativeId);
    const [gone] = zstack().vms.splice(index, 1);
    try {
      harness.resetUpstreamLogs();
      const answer = await harness.gql('query($id: ID!) { backup(id: $id) { nativeId } }', { id: node.backups[0]!.id });
      expect(errorCodes(answer)).toEqual(['PROVIDER_ERROR']);
      expect(answer.errors![0]!.message).toContain('no longer lists this VM, so its backups cannot be asked by its volumes, and this ZStack refuses to query volume backups by VM');
      expect(vmFieldQueries()).toBe(0);
    } finally {
      zstack().vms.splice(index, 0, gone!);
    }
  });

  it('asks by the field again once the refusal is older than VM_FIELD_REFUSAL_KEPT_MS (a node upgraded since was never asked again)', async () => {
    // The first case left this account's node refusing the field, remembered by the gateway.
    zstack().refusesUnknownQueryFields = false;
    harness.resetUpstreamLogs();
    expect((await harness.gql(VIEW)).errors).toBeUndefined();
    expect(vmFieldQueries()).toBe(0);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + VM_FIELD_REFUSAL_KEPT_MS + 1_000);
      harness.resetUpstreamLogs();
      expect((await harness.gql(VIEW)).errors).toBeUndefined();
      expect(vmFieldQueries()).toBe(1);
      // Answered this time: asked again by it in the next request, with no wait.
      harness.resetUpstreamLogs();
      expect((await harness.gql(VIEW)).errors).toBeUndefined();
      expect(vmFieldQueries()).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
