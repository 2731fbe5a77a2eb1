import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * OnApp clouds that take incremental backups schedule them per virtual server (the admin guide:
 * incremental auto-backups are "created per virtual server"), listed at
 * `GET /virtual_machines/{id}/schedules.json` (OnApp's PHP wrapper). An account with `vmSchedules`
 * reads them beside the disks' schedules; one without (a cloud of per-disk backups) makes no call
 * more. Read only per disk, a VM whose one schedule is on the VM read as scheduling nothing.
 */

interface ScheduleView {
  id: string;
  nativeId: string;
  nextRunAt: string | null;
  raw: Record<string, unknown>;
}
interface Node {
  id: string;
  nativeId: string;
  schedules: ScheduleView[];
  protection: { status: string; reason: string; scheduled: boolean | null };
}

const INSTANCES = '{ instances(first: 100) { edges { node { id nativeId schedules { id nativeId nextRunAt raw } protection(rpoHours: 24) { status reason scheduled } } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { status } backup { nativeId status } } }';
const DELETE_SCHEDULE = 'mutation($input: DeleteBackupScheduleInput!) { deleteBackupSchedule(input: $input) { deletedId } }';

const VM_SCHEDULE_READS = 'GET /virtual_machines/:id/schedules.json';

async function nodes(harness: Harness): Promise<Node[]> {
  const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(INSTANCES);
  expect(answer.errors).toBeUndefined();
  return answer.data!.instances.edges.map((edge) => edge.node);
}

const nodeOf = async (harness: Harness, vmId: number): Promise<Node> => (await nodes(harness)).find((node) => node.nativeId === String(vmId))!;

describe('onapp: VM-level schedules on an account with vmSchedules', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  const server = () => harness.simulator('onapp').server;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ timezone: 'UTC', cacheTtlMs: 0, vmSchedules: true }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
    simulator.asyncDelayMs = 0;
    simulator.incrementalBackups = true;
  });
  afterAll(() => harness.close());

  it('a VM whose only schedule is on the VM reads STALE awaiting its first backup, then PROTECTED once it has one, the schedule listed', async () => {
    // The seed's first VM has no backup and no disk schedule.
    const scheduleId = simulator.addVmSchedule(480);
    const waiting = await nodeOf(harness, 480);
    expect(waiting.protection).toEqual({ status: 'STALE', reason: 'NO_BACKUP_YET', scheduled: true });

    const created = await harness.gql<{ createBackup: { backup: { status: string } } }>(CREATE, { input: { instanceId: waiting.id, name: 'incremental' } });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createBackup.backup.status).toBe('AVAILABLE');

    const node = await nodeOf(harness, 480);
    expect(node.protection).toEqual({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED', scheduled: true });
    expect(node.schedules).toHaveLength(1);
    expect(node.schedules[0]).toMatchObject({ nativeId: String(scheduleId), raw: { target_type: 'VirtualMachine', target_id: 480 } });
    expect(node.schedules[0]!.nextRunAt).not.toBeNull();
  });

  it('a VM-level schedule and a disk schedule of one native id have two global ids', async () => {
    // OnApp keeps both in one resource, so one id names one; the gateway's keys tell them apart all the same.
    const disk = [...simulator.schedules.values()].find((schedule) => schedule.diskId === simulator.vms.get(481)!.disks[0]!.id)!;
    simulator.vmSchedules.set(disk.id, { id: disk.id, vmId: 481, duration: 1, period: 'days', rotation_period: 7, start_at: disk.start_at, created_at: disk.created_at });
    try {
      const node = await nodeOf(harness, 481);
      expect(node.schedules.map((schedule) => schedule.nativeId)).toEqual([String(disk.id), String(disk.id)]);
      expect(new Set(node.schedules.map((schedule) => schedule.id)).size).toBe(2);
    } finally {
      simulator.vmSchedules.delete(disk.id);
    }
  });

  it('costs one call per VM, and an older panel answering 404 reads no VM-level schedule, never an error', async () => {
    server().resetLog();
    const before = await nodes(harness);
    expect(server().count(VM_SCHEDULE_READS)).toBe(simulator.vms.size);
    simulator.vmScheduleList = false;
    try {
      const older = await nodes(harness);
      // VM 481 keeps its disk schedule; VM 480 had only its VM-level one.
      expect(older.find((node) => node.nativeId === '481')!.schedules).toHaveLength(1);
      expect(older.find((node) => node.nativeId === '480')!.schedules).toEqual([]);
      expect(older.find((node) => node.nativeId === '480')!.protection).toEqual({ status: 'STALE', reason: 'RECENT_BACKUP_NOTHING_SCHEDULED', scheduled: false });
      expect(before.find((node) => node.nativeId === '480')!.protection.status).toBe('PROTECTED');
    } finally {
      simulator.vmScheduleList = true;
    }
  });

  it('deletes a VM-level schedule by its id (DELETE /settings/schedules/:id.json, as a disk schedule)', async () => {
    const node = await nodeOf(harness, 480);
    const [schedule] = node.schedules;
    const deleted = await harness.gql<{ deleteBackupSchedule: { deletedId: string } }>(DELETE_SCHEDULE, { input: { scheduleId: schedule!.id } });
    expect(deleted.errors).toBeUndefined();
    expect(simulator.vmSchedules.has(Number(schedule!.nativeId))).toBe(false);
    expect((await nodeOf(harness, 480)).schedules).toEqual([]);
  });
});

describe('onapp: an account without vmSchedules (per-disk backups)', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  const server = () => harness.simulator('onapp').server;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ timezone: 'UTC', cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  it('makes the calls it made before: the VM list, the account disk list, each disk schedule list and each backup list, no VM-level read', async () => {
    simulator.addVmSchedule(480);
    server().resetLog();
    const listed = await nodes(harness);
    const vms = simulator.vms.size;
    const disks = [...simulator.vms.values()].reduce((count, vm) => count + vm.disks.filter((disk) => !disk.is_swap).length, 0);
    expect(server().count(VM_SCHEDULE_READS)).toBe(0);
    expect(server().count()).toBe(1 + 1 + disks + vms);
    // Unread, the VM-level schedule is not listed: the account said its cloud keeps none.
    expect(listed.find((node) => node.nativeId === '480')!.schedules).toEqual([]);
  });
});
