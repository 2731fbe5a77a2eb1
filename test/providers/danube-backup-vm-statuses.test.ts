import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

interface Node {
  id: string;
  nativeId: string;
  backups: Array<{ id: string; name: string; status: string }>;
}

const CREATE_BACKUP = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const DELETE_BACKUP = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';

/**
 * Which VM statuses esdc-ce (api/vm/backup/vm_backup.py, v4.6) lets a backup write through:
 * a create and a delete check `vm.status not in (vm.RUNNING, vm.STOPPED, vm.STOPPING)` (423 "VM is
 * not operational"), a delete the backup node and not the VM's compute node, and a restore
 * `vm.status != vm.STOPPED` of its target (423 "VM is not stopped"). The simulator refused a
 * stopping VM, took the notready `stopped-`/`running-` forms as their bare word, and refused a
 * delete whose VM's compute node was down.
 */
describe('danube: the VM statuses a backup create, delete and restore accept', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let nodes: Node[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], simulator: { instances: 10 }, configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>('{ instances(first: 100) { edges { node { id nativeId backups { id name status } } } } }');
    expect(answer.errors).toBeUndefined();
    nodes = answer.data!.instances.edges.map((edge) => edge.node);
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    simulator.asyncDelayMs = 0;
    simulator.nodesDown.clear();
    harness.resetUpstreamLogs();
  });

  const writes = () => harness.simulator('danube').server.count((request) => request.method !== 'GET');
  const vmOf = (node: Node) => simulator.vms.find((vm) => vm.hostname === node.nativeId)!;
  const availableOf = (node: Node) => node.backups.find((item) => item.status === 'AVAILABLE')!;
  /** The n-th instance with an AVAILABLE backup (the simulator's backups are random). */
  const withBackup = (n: number) => nodes.filter((node) => node.backups.some((item) => item.status === 'AVAILABLE'))[n]!;
  async function withStatus(node: Node, status: string, run: () => Promise<void>): Promise<void> {
    const vm = vmOf(node);
    const before = vm.status;
    vm.status = status;
    try {
      await run();
    } finally {
      vm.status = before;
    }
  }

  it('creates a backup of a stopping VM', async () => {
    await withStatus(nodes[0]!, 'stopping', async () => {
      const answer = await harness.gql<{ createBackup: { operation: { status: string } } }>(CREATE_BACKUP, { input: { instanceId: nodes[0]!.id, name: 'while-stopping', definitionName: 'daily' } });
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.createBackup.operation.status).toBeDefined();
    });
  });

  it('deletes a backup of a stopping VM', async () => {
    const backup = availableOf(withBackup(0));
    await withStatus(withBackup(0), 'stopping', async () => {
      const answer = await harness.gql(DELETE_BACKUP, { input: { backupId: backup.id } });
      expect(answer.errors).toBeUndefined();
    });
  });

  for (const status of ['stopped-', 'running-']) {
    it(`refuses a create of a ${status} VM with CONFLICT "VM is not operational", sent once, no backup made`, async () => {
      const since = new Date(Date.now() - 1000).toISOString();
      await withStatus(nodes[2]!, status, async () => {
        const answer = await harness.gql(CREATE_BACKUP, { input: { instanceId: nodes[2]!.id, name: `while-${status}`, definitionName: 'daily' } });
        expect(errorCodes(answer)).toEqual(['CONFLICT']);
        expect(answer.errors?.[0]?.message).toMatch(/^VM is not operational: the VM is neither running, stopped nor stopping at Danube/);
        expect(writes()).toBe(1);
      });
      expect(simulator.backups.filter((item) => item.hostname === nodes[2]!.nativeId && String(item.created) >= since)).toEqual([]);
    });
  }

  it('refuses a create of a VM not installed with 428 "VM is not installed" before its status (esdc-ce _check_vm)', async () => {
    const vm = vmOf(nodes[5]!);
    vm.installed = false;
    try {
      await withStatus(nodes[5]!, 'frozen', async () => {
        const answer = await harness.gql(CREATE_BACKUP, { input: { instanceId: nodes[5]!.id, name: 'uninstalled-frozen', definitionName: 'daily' } });
        expect(errorCodes(answer)).toEqual(['CONFLICT']);
        expect(answer.errors?.[0]?.message).toMatch(/^VM is not installed/);
      });
    } finally {
      delete vm.installed;
    }
  });

  it('refuses a restore onto a stopped- VM with CONFLICT "VM is not stopped", the backup untouched', async () => {
    const node = withBackup(1);
    const backup = availableOf(node);
    await withStatus(node, 'stopped-', async () => {
      const answer = await harness.gql(RESTORE, { input: { backupId: backup.id, confirm: true } });
      expect(errorCodes(answer)).toEqual(['CONFLICT']);
      expect(answer.errors?.[0]?.message).toMatch(/^VM is not stopped/);
      expect(writes()).toBe(1);
      expect(simulator.backups.find((item) => item.hostname === node.nativeId && item.name === backup.name)?.status).toBe(1);
    });
  });

  it("deletes a backup while its VM's compute node is down (only the backup node counts)", async () => {
    const node = withBackup(2);
    const backup = availableOf(node);
    const vm = vmOf(node);
    const before = vm.node;
    // The simulator puts every VM and backup on one node: the VM moves to a compute node of its own.
    vm.node = 'node07.erigones.com';
    simulator.nodesDown.add('node07.erigones.com');
    try {
      const answer = await harness.gql(DELETE_BACKUP, { input: { backupId: backup.id } });
      expect(answer.errors).toBeUndefined();
    } finally {
      vm.node = before;
    }
  });
});
