import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DANUBE_SIM_API_KEY, type DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

interface Node {
  id: string;
  nativeId: string;
  backups: Array<{ id: string; name: string; status: string }>;
}

const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';

/**
 * Danube's API docs refuse a restore "428 – VM brand mismatch / Disk size mismatch / Not enough
 * free space on target storage", and take `target_disk_id` as "required". The simulator played
 * none of them (every VM the same, no sizes, no storage, a restore without a target disk taken as
 * onto the backup's own), and the gateway made every 428 CONFLICT, a wait, for a target that can
 * never take the backup.
 */
describe('danube: the restore refusals of 428, and target_disk_id required', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let nodes: Node[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], simulator: { instances: 8 }, configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>('{ instances(first: 100) { edges { node { id nativeId backups { id name status } } } } }');
    expect(answer.errors).toBeUndefined();
    nodes = answer.data!.instances.edges.map((edge) => edge.node);
    for (const vm of simulator.vms) vm.status = 'stopped';
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    simulator.asyncDelayMs = 0;
    harness.resetUpstreamLogs();
  });

  const writes = () => harness.simulator('danube').server.count((request) => request.method !== 'GET');
  const available = (node: Node) => node.backups.find((item) => item.status === 'AVAILABLE')!;

  it('a restore onto a VM of another brand is BAD_USER_INPUT naming targetInstanceId, sent once', async () => {
    const [source, target] = [nodes[2]!, nodes[3]!];
    simulator.setVmBrand(target.nativeId, 'lx');
    try {
      const answer = await harness.gql(RESTORE, { input: { backupId: available(source).id, targetInstanceId: target.id, confirm: true } });
      expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors?.[0]?.message).toMatch(/^VM brand mismatch: the target VM is of another kind .*: nothing was done; name a target VM of that kind in targetInstanceId$/);
      expect(answer.errors?.[0]?.extensions?.fields).toEqual(['targetInstanceId']);
      expect(writes()).toBe(1);
    } finally {
      simulator.setVmBrand(target.nativeId, 'kvm');
    }
  });

  it('a restore onto a disk of another size is BAD_USER_INPUT naming targetDiskId; a disk of the size is restored onto', async () => {
    const node = nodes[4]!;
    simulator.setDiskSizeMb(node.nativeId, 2, 20_480);
    const refused = await harness.gql(RESTORE, { input: { backupId: available(node).id, targetDiskId: 2, confirm: true } });
    expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.errors?.[0]?.message).toMatch(/^Disk size mismatch: the target disk is not the size .*name a disk of that size in targetDiskId/);
    expect(refused.errors?.[0]?.extensions?.fields).toEqual(['targetDiskId']);
    expect(writes()).toBe(1);
    const restored = await harness.gql(RESTORE, { input: { backupId: available(node).id, targetDiskId: 1, confirm: true } });
    expect(restored.errors).toBeUndefined();
  });

  it("a restore onto storage without room for the backup's disk is CONFLICT with a next step, sent once, and goes once there is room", async () => {
    const node = nodes[5]!;
    const storage = String(simulator.vms.find((vm) => vm.hostname === node.nativeId)!.node);
    simulator.storageFreeMb.set(storage, 10_239);
    try {
      const answer = await harness.gql(RESTORE, { input: { backupId: available(node).id, confirm: true } });
      expect(errorCodes(answer)).toEqual(['CONFLICT']);
      expect(answer.errors?.[0]?.message).toBe("Not enough free space on target storage: the target VM's storage at Danube has less free space than the backup's whole disk (Danube restores into a temporary copy first): nothing was done; free space there at Danube, then send the restore again");
      expect(writes()).toBe(1);
      simulator.storageFreeMb.set(storage, 10_240);
      const again = await harness.gql(RESTORE, { input: { backupId: available(node).id, confirm: true } });
      expect(again.errors).toBeUndefined();
    } finally {
      simulator.storageFreeMb.delete(storage);
    }
  });

  it('a backup keeps the brand and disk size of its VM when made: changed since, the VM is refused its own backup', async () => {
    const node = nodes[6]!;
    simulator.setDiskSizeMb(node.nativeId, 1, 15_360);
    try {
      const answer = await harness.gql(RESTORE, { input: { backupId: available(node).id, confirm: true } });
      expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors?.[0]?.message).toMatch(/^Disk size mismatch: /);
    } finally {
      simulator.setDiskSizeMb(node.nativeId, 1, 10_240);
    }
  });

  it('Danube refuses a restore that leaves out target_disk_id "Invalid target_disk_id"; the gateway always sends it', async () => {
    const node = nodes[7]!;
    const backup = simulator.backups.find((row) => row.hostname === node.nativeId && row.status === 1)!;
    const put = (data: Record<string, unknown>) =>
      fetch(`${harness.simulator('danube').server.url}/api/vm/${node.nativeId}/backup/${String(backup.name)}/`, {
        method: 'PUT',
        headers: { 'es-api-key': DANUBE_SIM_API_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ disk_id: 1, target_hostname_or_uuid: node.nativeId, force: false, ...data }),
      });
    const refused = await put({});
    expect(refused.status).toBe(412);
    expect(await refused.json()).toEqual({ detail: 'Invalid target_disk_id' });
    harness.resetUpstreamLogs();
    const restored = await harness.gql(RESTORE, { input: { backupId: available(node).id, confirm: true } });
    expect(restored.errors).toBeUndefined();
    const sent = harness.simulator('danube').server.log.find((request) => request.method === 'PUT');
    expect((JSON.parse(sent?.bodyText ?? '{}') as Record<string, unknown>).target_disk_id).toBe(1);
  });
});
