import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const ONE = 'query($id: ID!) { instance(id: $id) { nativeId backups { nativeId } } }';
const LIST = '{ instances(first: 100) { edges { node { id nativeId } } } }';

const hex32 = (index: number): string => index.toString(16).padStart(32, 'f');

/**
 * Backups are asked by the VMs' volumes (volumeUuid?=), read from the provider's own VM rows: a
 * hostile or broken node decides how many there are. One VM listing 5,000 volumes made one
 * backup read some 45 volume-backup queries, and a node ignoring `uuid?=` on vm-instances had
 * every VM's volumes asked for where one VM's backups were wanted.
 */
describe('zstack: the volume-backup query is bounded by the VMs asked, not by what the node lists', () => {
  let harness: Harness;
  const zstack = () => harness.simulator('zstack').simulator as ZstackSimulator;
  const volumeQueries = (): string[] =>
    harness
      .simulator('zstack')
      .server.log.filter((item) => item.label === 'GET /zstack/v1/volume-backups')
      .map((item) => decodeURIComponent(item.query));

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    zstack().beforeQuery = null;
  });

  const instances = async (): Promise<Array<{ id: string; nativeId: string }>> => {
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>(LIST);
    expect(listed.errors).toBeUndefined();
    return listed.data!.instances.edges.map((edge) => edge.node);
  };

  it('asks a VM listing thousands of volumes in a bounded number of queries, its backups still listed', async () => {
    const [, vm] = (await instances()).filter((each) => each.nativeId !== undefined);
    const before = await harness.gql<{ instance: { backups: Array<{ nativeId: string }> } }>(ONE, { id: vm!.id });
    expect(before.data!.instance.backups.length).toBeGreaterThan(0);
    const row = zstack().vms.find((each) => each.uuid === vm!.nativeId)!;
    const volumes = row.allVolumes as Array<{ uuid: string; type: string }>;
    row.allVolumes = [...volumes, ...Array.from({ length: 5_000 }, (_, index) => ({ uuid: hex32(index), type: 'Data' }))];
    try {
      harness.resetUpstreamLogs();
      const after = await harness.gql<{ instance: { backups: Array<{ nativeId: string }> } }>(ONE, { id: vm!.id });
      expect(after.errors).toBeUndefined();
      expect(after.data!.instance.backups).toEqual(before.data!.instance.backups);
      expect(volumeQueries().length).toBeLessThanOrEqual(2);
    } finally {
      row.allVolumes = volumes;
    }
  });

  it("asks only the asked VM's volumes when the node answers vm-instances with every VM", async () => {
    const listed = await instances();
    const vm = listed[1]!;
    const read = await harness.gql<{ instance: { backups: Array<{ id: string; nativeId: string }> } }>('query($id: ID!) { instance(id: $id) { backups { id nativeId } } }', { id: vm.id });
    const [backup] = read.data!.instance.backups;
    expect(backup).toBeDefined();
    const row = zstack().vms.find((each) => each.uuid === vm.nativeId)!;
    const own = new Set((row.allVolumes as Array<{ uuid: string }>).map((volume) => volume.uuid));
    zstack().beforeQuery = (route, params) => {
      if (route === 'vm-instances') params.delete('q');
    };
    harness.resetUpstreamLogs();
    // A backup read by its id: the request has read no VM row, so they are asked for.
    const answer = await harness.gql<{ backup: { nativeId: string } }>('query($id: ID!) { backup(id: $id) { nativeId } }', { id: backup!.id });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.backup.nativeId).toBe(backup!.nativeId);
    const asked = volumeQueries().flatMap((query) => [...query.matchAll(/[0-9a-f]{32}/g)].map((match) => match[0]));
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.filter((uuid) => !own.has(uuid))).toEqual([]);
  });

  it('reads a backup by its id when a node ignoring uuid?= lists a VM whose id cannot be read (it failed the whole backup list)', async () => {
    const [, vm] = await instances();
    const read = await harness.gql<{ instance: { backups: Array<{ id: string; nativeId: string }> } }>('query($id: ID!) { instance(id: $id) { backups { id nativeId } } }', { id: vm!.id });
    const [backup] = read.data!.instance.backups;
    expect(backup).toBeDefined();
    const hostile = { ...zstack().vms.find((each) => each.uuid === vm!.nativeId)!, uuid: 'x'.repeat(600) };
    zstack().vms.push(hostile);
    zstack().beforeQuery = (route, params) => {
      if (route === 'vm-instances') params.delete('q');
    };
    try {
      const answer = await harness.gql<{ backup: { nativeId: string } }>('query($id: ID!) { backup(id: $id) { nativeId } }', { id: backup!.id });
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.backup.nativeId).toBe(backup!.nativeId);
    } finally {
      zstack().vms.splice(zstack().vms.indexOf(hostile), 1);
    }
  });
});
