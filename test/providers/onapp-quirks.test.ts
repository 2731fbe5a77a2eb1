import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorCodes, eventually, type Harness, startHarness, withHarness, withProviderSettings } from '../helpers/harness.js';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';

interface Node {
  id: string;
  nativeId: string;
  backups: Array<{ id: string; nativeId: string; status: string; protected: boolean; sizeBytes: number | null; mode: string | null; origin: string | null; minDiskBytes: number | null; minRamBytes: number | null; createdAt: string; osDistro: string | null; note: string | null; diskId: string | null }>;
  schedules: Array<{ cron: string; weekdays: string[]; time: string | null }>;
}

describe('onapp: quirks', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  let nodes: Node[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'] });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    harness.resetUpstreamLogs();
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(
      '{ instances { edges { node { id nativeId backups { id nativeId status protected sizeBytes mode origin minDiskBytes minRamBytes createdAt osDistro note diskId } schedules { cron weekdays time } } } } }',
    );
    expect(answer.errors).toBeUndefined();
    nodes = answer.data!.instances.edges.map((edge) => edge.node);
  });

  it('unwraps records and converts kB, GB, MB and dates with offsets to bytes and UTC', () => {
    // Newest first: the first backup the simulator made (n = 0) is the last.
    const backup = nodes[1]!.backups.at(-1)!;
    const record = simulator.backups.get(Number(backup.nativeId))!;
    expect(backup.sizeBytes).toBe(record.backup_size * 1024);
    expect(backup.minDiskBytes).toBe(5 * 2 ** 30);
    expect(backup.minRamBytes).toBe(384 * 2 ** 20);
    expect(backup.createdAt).toBe('2015-08-09T22:59:20.000Z');
    expect(backup).toMatchObject({ origin: 'MANUAL', mode: 'FULL', note: 'before upgrade', diskId: String(record.diskId) });
    expect(nodes[1]!.backups.at(-2)!.origin).toBe('SCHEDULED');
  });

  it('maps built to status and backup_type to mode', () => {
    expect(nodes[3]!.backups.at(-1)!.status).toBe('CREATING');
    expect(nodes[2]!.backups.at(-2)!.mode).toBe('INCREMENTAL');
  });

  it('backs up the primary disk when no diskId is given, and follows built to the end', async () => {
    const vm = simulator.vms.get(Number(nodes[4]!.nativeId))!;
    const answer = await harness.gql<{ createBackup: { operation: { id: string } } }>('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', { input: { instanceId: nodes[4]!.id, name: 'pre-deploy' } });
    expect(answer.errors).toBeUndefined();
    const post = harness.simulator('onapp').server.log.find((request) => request.method === 'POST');
    expect(post?.rawPath).toBe(`/settings/disks/${vm.disks.find((disk) => disk.primary)!.id}/backups.json`);
    await eventually(() => harness.gql<{ operation: { status: string } }>('query($id: ID!) { operation(id: $id) { status } }', { id: answer.data!.createBackup.operation.id }), (poll) => poll.data?.operation.status === 'SUCCEEDED');
  });

  it('maps 422 error bodies: a locked VM\'s base -> CONFLICT (onapp-locked-vm.test.ts), a field map -> BAD_USER_INPUT naming the field', async () => {
    simulator.vms.get(Number(nodes[5]!.nativeId))!.locked = true;
    const locked = await harness.gql('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', { input: { instanceId: nodes[5]!.id, name: 'x' } });
    expect(errorCodes(locked)).toEqual(['CONFLICT']);
    expect(locked.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^Virtual server is locked: /), extensions: { providerCode: 'HTTP_422' } });
    simulator.vms.get(Number(nodes[5]!.nativeId))!.locked = false;
    const swap = await harness.gql('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', { input: { instanceId: nodes[5]!.id, name: 'x', diskId: simulator.vms.get(Number(nodes[5]!.nativeId))!.disks[1]!.id } });
    expect(errorCodes(swap)).toEqual(['BAD_USER_INPUT']);
    expect(swap.errors?.[0]).toMatchObject({ message: 'provider onapp-test refused field(s) disk: disk swap disks cannot be backed up', extensions: { provider: 'onapp-test', providerCode: 'HTTP_422' } });
  });

  it('reads schedules as cron and refuses day sets OnApp cannot express, before any call', async () => {
    expect(nodes[1]!.schedules[0]).toEqual({ cron: '30 3 * * *', weekdays: ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'], time: '03:30' });
    expect(nodes[2]!.schedules[0]).toEqual({ cron: '30 3 * * 1', weekdays: ['MONDAY'], time: '03:30' });
    harness.resetUpstreamLogs();
    const odd = await harness.gql('mutation($input: CreateBackupScheduleInput!) { createBackupSchedule(input: $input) { schedule { id } } }', { input: { instanceId: nodes[1]!.id, name: 'x', weekdays: ['MONDAY', 'FRIDAY'], time: '01:00' } });
    expect(errorCodes(odd)).toEqual(['BAD_USER_INPUT']);
    expect(harness.simulator('onapp').server.count((request) => request.method === 'POST')).toBe(0);
    const weekly = await harness.gql<{ createBackupSchedule: { schedule: { cron: string; weekdays: string[] } } }>('mutation($input: CreateBackupScheduleInput!) { createBackupSchedule(input: $input) { schedule { cron weekdays } } }', { input: { instanceId: nodes[1]!.id, name: 'weekly', weekdays: ['FRIDAY'], time: '01:15' } });
    // No start time is documented: the schedule runs weekly from its creation, as the answer says.
    expect(weekly.data?.createBackupSchedule.schedule.weekdays).toHaveLength(1);
    expect(harness.simulator('onapp').server.log.find((request) => request.method === 'POST')?.bodyText).toBe(JSON.stringify({ schedule: { action: 'autobackup', duration: 1, period: 'weeks' } }));
  });

  it('restores through a transaction it follows to the end', async () => {
    const backup = nodes[1]!.backups.find((item) => item.status === 'AVAILABLE')!;
    const answer = await harness.gql<{ restoreBackup: { operation: { id: string } } }>('mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }', { input: { backupId: backup.id, confirm: true } });
    expect(answer.errors).toBeUndefined();
    await eventually(() => harness.gql<{ operation: { status: string } }>('query($id: ID!) { operation(id: $id) { status } }', { id: answer.data!.restoreBackup.operation.id }), (poll) => poll.data?.operation.status === 'SUCCEEDED');
  });

  it('finds the disks of many VMs with one account-wide disk list, and falls back to a list per VM where it is refused', async () => {
    const schedulesOf = (list: Node[]) => list.map((node) => [node.id, node.schedules]);
    // beforeEach read every VM: one account disk list, no per-VM disk list, a schedule list per disk.
    const server = harness.simulator('onapp').server;
    expect(server.count('GET /settings/disks.json')).toBe(1);
    expect(server.count('GET /virtual_machines/:id/disks.json')).toBe(0);
    expect(server.count('GET /settings/disks/:id/schedules.json')).toBeGreaterThanOrEqual(nodes.length);
    expect(nodes.filter((node) => node.schedules.length > 0).length).toBeGreaterThan(1);

    simulator.accountDiskList = false;
    try {
      harness.resetUpstreamLogs();
      const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>('{ instances { edges { node { id schedules { cron weekdays time } } } } }');
      expect(answer.errors).toBeUndefined();
      expect(schedulesOf(answer.data!.instances.edges.map((edge) => edge.node))).toEqual(schedulesOf(nodes));
      expect(server.count('GET /virtual_machines/:id/disks.json')).toBe(nodes.length);
    } finally {
      simulator.accountDiskList = true;
    }
  });

  it('answers PROVIDER_ERROR, not UNAUTHENTICATED, when OnApp refuses the gateway credentials', async () => {
    await withHarness({ kinds: ['onapp'], configure: withProviderSettings({ auth: { username: 'ops', password: 'bad-key-000000' } }) }, async (wrong) => {
      const answer = await wrong.gql<{ instances: { providerErrors: Array<{ code: string }> } }>('{ instances { providerErrors { code } } }');
      expect(answer.data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_ERROR' }]);
      expect(answer.text).not.toContain('bad-key-000000');
    });
  });
});
