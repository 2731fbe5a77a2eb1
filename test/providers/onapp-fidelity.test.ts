import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { UNLISTED_CREATE_GIVES_UP_MS, UNSEEN_RESTORE_GIVES_UP_MS } from '../../src/providers/onapp/adapter.js';
import { DEFAULT_BACKUP_GIVE_UP_MS } from '../../src/providers/onapp/config.js';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { errorCodes, eventually, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';
import { NamedMemoryStore } from '../helpers/named-memory-store.js';
import { recordedAsStarted } from '../helpers/started-record.js';

/** Issue 18: OnApp as its documents say it, where adapter and simulator once shared a misreading. */

interface Node {
  id: string;
  nativeId: string;
  raw: Record<string, unknown>;
  backups: Array<{ id: string; nativeId: string; name: string; protected: boolean; osDistro: string | null; osVersion: string | null; diskId: string | null; raw: Record<string, unknown> }>;
  schedules: Array<{ id: string; cron: string; timezone: string; time: string | null; raw: Record<string, unknown> }>;
}

const LIST = '{ instances { edges { node { id nativeId raw backups { id nativeId name protected osDistro osVersion diskId raw } schedules { id cron timezone time raw } } } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error backup { nativeId } } }';

describe('onapp fidelity', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  let nodes: Node[];
  /** The gateway's store: a restore or delete id written here is recorded as its mutation would have recorded it. */
  const store = new NamedMemoryStore();

  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['onapp'],
      store,
      configure: withProviderSettings({ timezone: 'Europe/Amsterdam', cacheTtlMs: 0 }),
    });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    harness.resetUpstreamLogs();
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
    expect(answer.errors).toBeUndefined();
    nodes = answer.data!.instances.edges.map((edge) => edge.node);
  });

  it('locked ("the storage server backed up has been locked") is no delete protection: the backup is deleted', async () => {
    const vm = simulator.vms.get(Number(nodes[2]!.nativeId))!;
    vm.locked = true;
    try {
      const answer = await harness.gql<{ instance: Node }>('query($id: ID!) { instance(id: $id) { backups { id nativeId protected raw } } }', { id: nodes[2]!.id });
      const backup = answer.data!.instance.backups[0]!;
      expect(backup.raw.locked).toBe(true);
      expect(backup.protected).toBe(false);
      const deleted = await harness.gql<{ deleteBackup: { operation: { id: string } } }>('mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }', { input: { backupId: backup.id } });
      expect(errorCodes(deleted)).toEqual([]);
      expect(simulator.backups.has(Number(backup.nativeId))).toBe(false);
    } finally {
      vm.locked = false;
    }
  });

  it('backups of one disk do not share a name (identifier is the disk identifier)', () => {
    const backups = nodes[1]!.backups;
    expect(new Set(backups.map((backup) => backup.raw.identifier)).size).toBe(1);
    expect(new Set(backups.map((backup) => backup.name)).size).toBe(backups.length);
  });

  it('osVersion is not the OS family: operating_system stays in raw', () => {
    const backup = nodes[1]!.backups[0]!;
    expect(backup.raw.operating_system).toBe('linux');
    expect(backup.osVersion).toBeNull();
    expect(backup.osDistro).toEqual(backup.raw.operating_system_distro);
  });

  it("schedule times are in the account's time zone, and raw keeps rotation_period", () => {
    // Seeded start_at 2024-01-01T03:30:00Z is 04:30 in Amsterdam (winter).
    expect(nodes[1]!.schedules[0]).toMatchObject({ cron: '30 4 * * *', timezone: 'Europe/Amsterdam', time: '04:30' });
    expect(nodes[1]!.schedules[0]!.raw).toMatchObject({ rotation_period: 7, period: 'days', start_at: '2024-01-01T03:30:00Z' });
  });

  it('sends only documented schedule parameters (no start_at) and reports the start OnApp chose', async () => {
    const answer = await harness.gql<{ createBackupSchedule: { schedule: { cron: string; timezone: string; raw: Record<string, unknown> } } }>(
      'mutation($input: CreateBackupScheduleInput!) { createBackupSchedule(input: $input) { schedule { cron timezone raw } } }',
      { input: { instanceId: nodes[3]!.id, name: 'daily', weekdays: ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'], time: '01:15' } },
    );
    expect(answer.errors).toBeUndefined();
    const post = harness.simulator('onapp').server.log.find((request) => request.method === 'POST')!;
    expect(JSON.parse(post.bodyText)).toEqual({ schedule: { action: 'autobackup', duration: 1, period: 'days' } });
    const schedule = answer.data!.createBackupSchedule.schedule;
    const start = new Date(String(schedule.raw.start_at));
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }).formatToParts(start);
    const part = (type: string) => Number(local.find((item) => item.type === type)!.value);
    expect(schedule).toMatchObject({ timezone: 'Europe/Amsterdam', cron: `${part('minute')} ${part('hour')} * * *` });
  });

  it('creates a backup with no body and finds the new backup though the answer names none', async () => {
    simulator.asyncDelayMs = 200;
    const answer = await harness.gql<{ createBackup: { operation: { id: string; status: string } } }>(
      'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }',
      { input: { instanceId: nodes[4]!.id, name: 'no-name-at-onapp' } },
    );
    expect(answer.errors).toBeUndefined();
    const post = harness.simulator('onapp').server.log.find((request) => request.method === 'POST')!;
    expect(post.bodyText).toBe('');
    const done = await eventually(
      () => harness.gql<{ operation: { status: string; backup: { nativeId: string } | null } }>(OPERATION, { id: answer.data!.createBackup.operation.id }),
      (poll) => poll.data?.operation.status === 'SUCCEEDED' || poll.data?.operation.status === 'FAILED',
    );
    const newest = Math.max(...[...simulator.backups.values()].filter((backup) => backup.vmId === Number(nodes[4]!.nativeId)).map((backup) => backup.id));
    expect(done.data?.operation).toMatchObject({ status: 'SUCCEEDED', backup: { nativeId: String(newest) } });
  });

  it('finds the backup of a create on a cloud of incremental backups, which targets the VM and names no disk (target_type VirtualMachine, disk_id null)', async () => {
    simulator.asyncDelayMs = 100;
    simulator.incrementalBackups = true;
    try {
      const answer = await harness.gql<{ createBackup: { operation: { id: string } } }>(
        'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }',
        { input: { instanceId: nodes[5]!.id, name: 'incremental-at-onapp' } },
      );
      expect(answer.errors).toBeUndefined();
      const made = Math.max(...[...simulator.backups.values()].filter((backup) => backup.vmId === Number(nodes[5]!.nativeId)).map((backup) => backup.id));
      const listed = await harness.gql<{ instance: { backups: Array<{ nativeId: string; diskId: string | null; mode: string; raw: Record<string, unknown> }> } }>(
        'query($id: ID!) { instance(id: $id) { backups { nativeId diskId mode raw } } }',
        { id: nodes[5]!.id },
      );
      // As the docs' sample shows it.
      expect(listed.data?.instance.backups.find((backup) => backup.nativeId === String(made))).toMatchObject({ diskId: null, mode: 'INCREMENTAL', raw: { target_type: 'VirtualMachine', target_id: Number(nodes[5]!.nativeId), disk_id: null } });
      const done = await eventually(
        () => harness.gql<{ operation: { status: string; backup: { nativeId: string } | null } }>(OPERATION, { id: answer.data!.createBackup.operation.id }),
        (poll) => poll.data?.operation.status === 'SUCCEEDED' || poll.data?.operation.status === 'FAILED',
        { timeoutMs: 3_000 },
      );
      expect(done.data?.operation).toMatchObject({ status: 'SUCCEEDED', backup: { nativeId: String(made) } });
    } finally {
      simulator.incrementalBackups = false;
    }
  });

  it('a create OnApp never lists is PENDING for a while, then FAILED, not PENDING for ever', async () => {
    const node = nodes[4]!;
    const disk = node.backups.find((backup) => backup.diskId !== null)?.diskId ?? '1';
    // An operation id as createBackup issues it (and records), for a backup above any id OnApp will list.
    const unlisted = (startedAt: number) => recordedAsStarted(store, encodeId('Operation', 'onapp-test', ['CREATE_BACKUP', String(startedAt), node.nativeId, '', disk, '999999999']));
    const fresh = await harness.gql<{ operation: { status: string } }>(OPERATION, { id: await unlisted(Date.now()) });
    expect(fresh.data?.operation.status).toBe('PENDING');
    const old = await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id: await unlisted(Date.now() - UNLISTED_CREATE_GIVES_UP_MS - 60_000) });
    expect(old.data?.operation).toMatchObject({ status: 'FAILED', error: expect.stringContaining('has not listed the new backup within 30 minutes') });
  });

  it('a restore whose transaction OnApp never lists is PENDING for a while, then FAILED, not PENDING for ever', async () => {
    const node = nodes[4]!;
    const backup = node.backups[0]!;
    // An operation id as restoreBackup issues it (and records); the simulator has no restore transaction of this backup.
    const restore = (startedAt: number) => recordedAsStarted(store, encodeId('Operation', 'onapp-test', ['RESTORE_BACKUP', String(startedAt), node.nativeId, backup.nativeId]));
    const fresh = await harness.gql<{ operation: { status: string } }>(OPERATION, { id: await restore(Date.now()) });
    expect(fresh.data?.operation.status).toBe('PENDING');
    const old = await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id: await restore(Date.now() - UNSEEN_RESTORE_GIVES_UP_MS - 60_000) });
    expect(old.data?.operation).toMatchObject({ status: 'FAILED', error: expect.stringContaining('no restore transaction for the backup within 30 minutes') });
  });

  it('a delete whose backup OnApp still lists is RUNNING for a while, then FAILED, not RUNNING for ever', async () => {
    const node = nodes[4]!;
    const backup = node.backups[0]!;
    // An operation id as deleteBackup issues it (and records), of a backup OnApp still lists (its delete transaction failed).
    const deletion = (startedAt: number) => recordedAsStarted(store, encodeId('Operation', 'onapp-test', ['DELETE_BACKUP', String(startedAt), node.nativeId, backup.nativeId]));
    const fresh = await harness.gql<{ operation: { status: string } }>(OPERATION, { id: await deletion(Date.now()) });
    expect(fresh.data?.operation.status).toBe('RUNNING');
    const old = await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id: await deletion(Date.now() - DEFAULT_BACKUP_GIVE_UP_MS - 60_000) });
    expect(old.data?.operation).toMatchObject({ status: 'FAILED', error: expect.stringContaining('still lists the backup 120 minutes after its delete') });
  });

  it('a second restore of a backup is not told of the first one\'s transaction while OnApp has not listed its own', async () => {
    // A backup built (restorable) and whose disk is not swap: the simulator's own record says.
    const backup = nodes.flatMap((node) => node.backups).find((candidate) => Date.now() >= (simulator.backups.get(Number(candidate.nativeId))?.builtAt ?? Infinity))!;
    const restore = async () => {
      const answer = await harness.gql<{ restoreBackup: { operation: { id: string } } }>('mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }', { input: { backupId: backup.id, confirm: true } });
      expect(answer.errors).toBeUndefined();
      return answer.data!.restoreBackup.operation.id;
    };
    const statusOf = async (id: string) => (await harness.gql<{ operation: { status: string } }>(OPERATION, { id })).data?.operation.status;
    const delay = simulator.asyncDelayMs;
    simulator.asyncDelayMs = 0;
    try {
      expect(await statusOf(await restore())).toBe('SUCCEEDED');
      simulator.asyncDelayMs = 60_000;
      simulator.holdRestoreListing = true;
      const second = await restore();
      // The first restore's complete transaction is listed; this one's is not yet.
      expect(await statusOf(second)).toBe('PENDING');
      simulator.listHeldTransactions();
      expect(await statusOf(second)).toBe('RUNNING');
    } finally {
      simulator.asyncDelayMs = delay;
      simulator.holdRestoreListing = false;
      simulator.listHeldTransactions();
    }
  });

  it('a restore whose transaction associates its VM, not the backup (as the docs\' VS transaction example does), is followed to its end (it stayed PENDING, then FAILED)', async () => {
    const backup = nodes.flatMap((node) => node.backups).find((candidate) => Date.now() >= (simulator.backups.get(Number(candidate.nativeId))?.builtAt ?? Infinity))!;
    const delay = simulator.asyncDelayMs;
    simulator.asyncDelayMs = 0;
    simulator.restoreAssociates = 'vm';
    try {
      const answer = await harness.gql<{ restoreBackup: { operation: { id: string } } }>('mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }', { input: { backupId: backup.id, confirm: true } });
      expect(answer.errors).toBeUndefined();
      const status = await harness.gql<{ operation: { status: string } }>(OPERATION, { id: answer.data!.restoreBackup.operation.id });
      expect(status.data?.operation.status).toBe('SUCCEEDED');
    } finally {
      simulator.asyncDelayMs = delay;
      simulator.restoreAssociates = 'backup';
    }
  });

  it('a restore is followed past the first page of a busy VM\'s transactions', async () => {
    const backup = nodes.flatMap((node) => node.backups).find((candidate) => Date.now() >= (simulator.backups.get(Number(candidate.nativeId))?.builtAt ?? Infinity))!;
    const vmId = simulator.backups.get(Number(backup.nativeId))!.vmId;
    const delay = simulator.asyncDelayMs;
    simulator.asyncDelayMs = 0;
    try {
      const answer = await harness.gql<{ restoreBackup: { operation: { id: string } } }>('mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }', { input: { backupId: backup.id, confirm: true } });
      expect(answer.errors).toBeUndefined();
      // Newer transactions push the restore's own to the second page (ten a page, newest first).
      simulator.addTransactions(vmId, 'reboot_virtual_machine', simulator.transactionPageSize + 2);
      harness.resetUpstreamLogs();
      const status = await harness.gql<{ operation: { status: string } }>(OPERATION, { id: answer.data!.restoreBackup.operation.id });
      expect(status.data?.operation.status).toBe('SUCCEEDED');
      // Two pages read: the second holds it.
      expect(harness.simulator('onapp').server.count(/transactions/)).toBe(2);
    } finally {
      simulator.asyncDelayMs = delay;
    }
  });

  it("a restore is followed 40 pages down a busy VM's transactions, in some 2 log2(pages) reads a poll (5 pages were read, and it ended FAILED)", async () => {
    const backup = nodes.flatMap((node) => node.backups).find((candidate) => Date.now() >= (simulator.backups.get(Number(candidate.nativeId))?.builtAt ?? Infinity))!;
    const vmId = simulator.backups.get(Number(backup.nativeId))!.vmId;
    const delay = simulator.asyncDelayMs;
    simulator.asyncDelayMs = 0;
    try {
      const answer = await harness.gql<{ restoreBackup: { operation: { id: string } } }>('mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }', { input: { backupId: backup.id, confirm: true } });
      expect(answer.errors).toBeUndefined();
      // Forty pages of newer transactions (ten a page, newest first) above the restore's own.
      simulator.addTransactions(vmId, 'reboot_virtual_machine', 40 * simulator.transactionPageSize);
      harness.resetUpstreamLogs();
      const status = await harness.gql<{ operation: { status: string } }>(OPERATION, { id: answer.data!.restoreBackup.operation.id });
      expect(status.data?.operation.status).toBe('SUCCEEDED');
      // Pages 1, 2, 4, ..., 64, then halving between 32 and 64 to the 41st, and the 40th above it.
      expect(harness.simulator('onapp').server.count(/transactions/)).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(41)) + 2);
    } finally {
      simulator.asyncDelayMs = delay;
    }
  });

  it('a restore on a VM that lists 140,000 transactions on one page is asked, not an INTERNAL_SERVER_ERROR', async () => {
    const backup = nodes.flatMap((node) => node.backups).find((candidate) => Date.now() >= (simulator.backups.get(Number(candidate.nativeId))?.builtAt ?? Infinity))!;
    const vmId = simulator.backups.get(Number(backup.nativeId))!.vmId;
    const pageSize = simulator.transactionPageSize;
    const kept = simulator.transactions.length;
    // An installation that does not page (or pages large): 140,000 ids (30 MB, within an answer's 32 MB) were spread into Math.max's arguments.
    simulator.transactionPageSize = 1_000_000;
    simulator.addTransactions(vmId, 'reboot_virtual_machine', 140_000);
    try {
      const answer = await harness.gql<{ restoreBackup: { operation: { id: string } } }>('mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }', { input: { backupId: backup.id, confirm: true } });
      expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
      expect(answer.data?.restoreBackup.operation.id).toEqual(expect.any(String));
    } finally {
      simulator.transactionPageSize = pageSize;
      simulator.transactions.splice(kept, 140_000);
    }
    // 30 MB built, sent, parsed and scrubbed: some 12 s on a loaded two-core machine, past 30 s under a full parallel run.
  }, 90_000);

  it('Instance.raw carries the VM record the schema does not name', () => {
    expect(nodes[1]!.raw).toMatchObject({ id: Number(nodes[1]!.nativeId), identifier: expect.any(String), booted: expect.any(Boolean), locked: false });
  });
});
