import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ZOMRO_SIM_PASSWORD, ZOMRO_SIM_TOKEN, type ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { dashboardNodes, type DashboardNode } from '../helpers/dashboard.js';
import { errorCodes, eventually, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

describe('zomro: quirks of the BILLmanager API', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let nodes: DashboardNode[];

  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      simulator: { instances: 230 },
      configure: withProviderSettings({ timezone: 'Europe/Amsterdam' }),
    });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    harness.resetUpstreamLogs();
    nodes = await dashboardNodes(harness);
  });

  it('reads every page of func=instances', () => {
    expect(nodes).toHaveLength(230);
    const pages = harness.simulator('zomro').server.log.filter((request) => request.label === 'instances').map((request) => request.form.p_num);
    expect(pages.sort()).toEqual(['1', '2', '3']);
  });

  it('makes exactly one backup-list call per instance, however often the query names it', async () => {
    harness.resetUpstreamLogs();
    const answer = await harness.gql(`{ x: instances(first: 1000) { edges { node { backups { id } b2: backups { name } } } } y: instances(first: 5) { edges { node { backups { id } } } } }`);
    expect(answer.errors).toBeUndefined();
    const server = harness.simulator('zomro').server;
    expect(server.count('instances.fleio_bckps')).toBe(230);
    const asked = server.log.filter((request) => request.label === 'instances.fleio_bckps').map((request) => request.form.plid);
    expect(new Set(asked).size).toBe(230);
  });

  it('reads a missing doc.elem as no backups and a single object as one backup', () => {
    expect(nodes[0]!.backups).toEqual([]);
    expect(nodes[1]!.backups).toHaveLength(1);
  });

  it('unwraps {"$": v} everywhere, $orig included, and converts GB to bytes and dates (the account clock\'s) to UTC', () => {
    const backup = nodes[1]!.backups[0]!;
    const record = simulator.backups.get(backup.nativeId)!;
    expect(backup.sizeBytes).toBe(Number(record.image_size) * 2 ** 30);
    expect(backup.minDiskBytes).toBe(Number(record.min_disk) * 2 ** 30);
    // A date alone is the start of that day in the account's zone (Amsterdam: UTC+1 or +2).
    const startOfDay = new Date(`${record.createdate}T00:00:00Z`);
    const offsetHours = [1, 2].find((hours) => new Date(startOfDay.getTime() - hours * 3_600_000).toLocaleString('en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', hourCycle: 'h23' }) === '00');
    expect(backup.createdAt).toBe(new Date(startOfDay.getTime() - (offsetHours ?? 0) * 3_600_000).toISOString());
    expect(offsetHours).toBeDefined();
    expect(backup.region).toBe('Netherlands-2');
    expect(backup.raw.region).toBe('Netherlands-2');
    expect(JSON.stringify(backup.raw)).not.toContain('"$');
  });

  it('maps Active to AVAILABLE and Suspended (panel code) to FAILED, keeping the word in raw', () => {
    const all = nodes.flatMap((node) => node.backups);
    const suspended = all.find((backup) => backup.status === 'FAILED');
    expect(suspended?.raw.fleio_status).toBe('Suspended');
    expect(all.filter((backup) => backup.raw.fleio_status === 'Active').every((backup) => backup.status === 'AVAILABLE')).toBe(true);
  });

  it('reads rotation_days words as weekdays and computes cron and nextRunAt in the account timezone', () => {
    const schedule = nodes[2]!.schedules[0]!;
    expect(schedule).toMatchObject({ cron: '1 2 * * 1,2,3,4,5', weekdays: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], time: '02:01', timezone: 'Europe/Amsterdam' });
    const next = new Date(schedule.nextRunAt!);
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(next);
    expect(local).toMatch(/^(Monday|Tuesday|Wednesday|Thursday|Friday) 02:01$/);
    expect(nodes[3]!.schedules[0]!.weekdays).toHaveLength(7);
  });

  it('sends rotation_days as numbers with Sunday = 0 and answers the new schedule', async () => {
    const answer = await harness.gql<{ createBackupSchedule: { schedule: { name: string; weekdays: string[]; time: string } } }>(
      'mutation($input: CreateBackupScheduleInput!) { createBackupSchedule(input: $input) { schedule { name weekdays time } } }',
      { input: { instanceId: nodes[4]!.id, name: 'weekend', weekdays: ['SATURDAY', 'SUNDAY'], time: '23:30' } },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.createBackupSchedule.schedule).toEqual({ name: 'weekend', weekdays: ['SUNDAY', 'SATURDAY'], time: '23:30' });
    const sent = harness.simulator('zomro').server.log.find((request) => request.label === 'instances.fleio_bckps.schedule.edit');
    expect(sent?.form).toMatchObject({ rotation_days: '0,6', rotation_time: '23:30', sok: 'ok' });
  });

  it('deletes a schedule with .schedule.delete', async () => {
    const schedule = nodes[5]!.schedules[0]!;
    const answer = await harness.gql<{ deleteBackupSchedule: { deletedId: string } }>(
      'mutation($input: DeleteBackupScheduleInput!) { deleteBackupSchedule(input: $input) { deletedId } }',
      { input: { scheduleId: schedule.id } },
    );
    expect(answer.data?.deleteBackupSchedule.deletedId).toBe(schedule.id);
    expect(harness.simulator('zomro').server.count('instances.fleio_bckps.schedule.delete')).toBe(1);
  });

  it('refuses to delete a protected backup with CONFLICT and no image.delete call', async () => {
    const locked = nodes[2]!.backups.find((backup) => backup.protected)!;
    harness.resetUpstreamLogs();
    const answer = await harness.gql('mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }', { input: { backupId: locked.id } });
    expect(errorCodes(answer)).toEqual(['CONFLICT']);
    // A refusal the caller cannot act on is a dead end: the words say where the flag is lifted.
    expect(answer.errors?.[0]?.message).toMatch(/turn its protection off at the provider .*then send the delete again/);
    expect(harness.simulator('zomro').server.count('image.delete')).toBe(0);
    expect(simulator.backups.has(locked.nativeId)).toBe(true);
  });

  it('maps doc.error: exists -> CONFLICT, missed -> NOT_FOUND, other types -> PROVIDER_ERROR with providerCode', async () => {
    const node = nodes[3]!;
    const create = (name: string) =>
      harness.gql('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', { input: { instanceId: node.id, name } });
    const repeated = await create(node.backups[0]!.name);
    expect(errorCodes(repeated)).toEqual(['CONFLICT']);
    expect(repeated.errors?.[0]?.message).toMatch(/already exists: send it again with another name$/);

    for (let index = 0; index < 10; index++) await create(`fill-${index}`);
    const full = await create('one-too-many');
    expect(errorCodes(full)).toEqual(['PROVIDER_ERROR']);
    expect(full.errors?.[0]?.extensions).toMatchObject({ providerCode: 'limit', provider: 'zomro-test' });

    const schedule = nodes[4]!.schedules[0]!;
    simulator.schedules.clear();
    const gone = await harness.gql('mutation($input: DeleteBackupScheduleInput!) { deleteBackupSchedule(input: $input) { deletedId } }', { input: { scheduleId: schedule.id } });
    expect(errorCodes(gone)).toEqual(['NOT_FOUND']);
  });

  it('shows Saving as CREATING until the backup is Active', async () => {
    const node = nodes[6]!;
    simulator.asyncDelayMs = 400;
    const answer = await harness.gql<{ createBackup: { operation: { id: string; status: string }; backup: { status: string } | null } }>(
      'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } backup { status } } }',
      { input: { instanceId: node.id, name: 'saving-now' } },
    );
    expect(answer.data?.createBackup.operation.status).toBe('RUNNING');
    expect(answer.data?.createBackup.backup?.status).toBe('CREATING');
    const done = await eventually(
      () => harness.gql<{ operation: { status: string; backup: { status: string } } }>('query($id: ID!) { operation(id: $id) { status backup { status } } }', { id: answer.data!.createBackup.operation.id }),
      (poll) => poll.data?.operation.status === 'SUCCEEDED',
    );
    expect(done.data?.operation.backup.status).toBe('AVAILABLE');
  });

  it('restores by rebuilding the instance from the backup image, only with confirm', async () => {
    const node = nodes[3]!;
    const backup = node.backups.find((item) => item.status === 'AVAILABLE')!;
    const answer = await harness.gql<{ restoreBackup: { operation: { id: string; kind: string } } }>(
      'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id kind status } } }',
      { input: { backupId: backup.id, confirm: true } },
    );
    expect(answer.errors).toBeUndefined();
    const rebuild = harness.simulator('zomro').server.log.find((request) => request.label === 'instances.fleio.rebuild');
    expect(rebuild?.form).toMatchObject({ elid: node.nativeId, select_rebuild: String(backup.raw.fleio_id), sok: 'ok' });
    await eventually(
      () => harness.gql<{ operation: { status: string } }>('query($id: ID!) { operation(id: $id) { status } }', { id: answer.data!.restoreBackup.operation.id }),
      (poll) => poll.data?.operation.status === 'SUCCEEDED',
    );
  });

  it('sends credentials only in the form body and never shows them', async () => {
    const request = harness.simulator('zomro').server.log[0]!;
    expect(request.form.auth).toBe(ZOMRO_SIM_TOKEN);
    expect(request.query).toBe('');
    for (const line of harness.logs) {
      expect(line).not.toContain(ZOMRO_SIM_TOKEN);
      expect(line).not.toContain(ZOMRO_SIM_PASSWORD);
    }
  });
});

describe('zomro: wrong gateway credentials', () => {
  it('answers PROVIDER_ERROR (the gateway is misconfigured, not the caller) without the credential', async () => {
    const harness = await startHarness({
      kinds: ['zomro'],
      configure: withProviderSettings({ auth: { username: 'ops', password: 'wrong-password-123' } }),
    });
    try {
      const answer = await harness.gql<{ instances: { providerErrors: Array<{ code: string; message: string }> } }>('{ instances { providerErrors { code message } } }');
      expect(answer.data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_ERROR', message: expect.any(String) }]);
      expect(answer.text).not.toContain('wrong-password-123');
      expect(harness.simulator('zomro').server.log[0]?.form).toMatchObject({ func: 'auth', username: 'ops', password: 'wrong-password-123' });
      expect(harness.logs.join('\n')).not.toContain('wrong-password-123');
    } finally {
      await harness.close();
    }
  });
});
