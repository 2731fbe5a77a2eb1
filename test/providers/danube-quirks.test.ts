import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { DANUBE_SIM_PASSWORD, type DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { DETAILED_DASHBOARD, dashboardNodes, type DashboardNode } from '../helpers/dashboard.js';
import { errorCodes, eventually, type Harness, startHarness, withDanubePasswordLogin, withHarness, withProviderSettings } from '../helpers/harness.js';

const OPERATION = 'query($id: ID!) { operation(id: $id) { status error backup { name status } } }';

describe('danube: quirks', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let nodes: DashboardNode[];
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['danube'],
      simulator: { instances: 50 },
      // Log in with username/password, so token renewal is exercised.
      configure: withDanubePasswordLogin(),
    });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    nodes = await dashboardNodes(harness);
  });
  afterAll(() => harness.close());

  it('reads the definitions of 50 VMs with one request, and schedules from the same answer', async () => {
    harness.resetUpstreamLogs();
    const answer = await harness.gql(DETAILED_DASHBOARD);
    expect(answer.errors).toBeUndefined();
    expect(nodes).toHaveLength(50);
    expect(harness.simulator('danube').server.count('GET /vm/define/backup')).toBe(1);
    expect(nodes[2]!.definitions.map((definition) => definition.name).sort()).toEqual(['daily', 'weekly']);
    expect(nodes[2]!.schedules.map((schedule) => schedule.cron).sort()).toEqual(['0 4 * * *', '30 4 * * 6']);
    expect(nodes[2]!.definitions.find((definition) => definition.name === 'weekly')).toMatchObject({ compression: 'BZIP2', schedule: { timezone: 'UTC', nextRunAt: expect.stringMatching(/T04:30:00\.000Z$/) } });
  });

  it('maps status numbers and links a backup to its definition', () => {
    // Newest first: the first backup the simulator made (n = 0) is the last.
    const backups = nodes[3]!.backups;
    expect(backups.at(-1)).toMatchObject({ status: 'FAILED', definition: { name: 'daily' } });
    expect(backups.at(-2)).toMatchObject({ status: 'AVAILABLE' });
    expect(backups.at(-2)!.sizeBytes).toBeGreaterThan(0);
  });

  it('creates, updates and deletes a definition; a bad cron is refused before any request', async () => {
    const instanceId = nodes[5]!.id;
    harness.resetUpstreamLogs();
    const bad = await harness.gql('mutation($input: CreateBackupDefinitionInput!) { createBackupDefinition(input: $input) { definition { id } } }', { input: { instanceId, name: 'hourly', cron: '61 * * * *', retention: 3 } });
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(harness.upstreamCount()).toBe(0);
    // Without a node: where to find one, not only what it is.
    const noNode = await harness.gql('mutation($input: CreateBackupDefinitionInput!) { createBackupDefinition(input: $input) { definition { id } } }', { input: { instanceId, name: 'hourly', cron: '15 * * * *', retention: 3 } });
    expect(noNode.errors?.map((error) => [error.extensions?.code, error.message])).toEqual([
      ['BAD_USER_INPUT', "node is required for Danube: the backup node its backups go to (an existing definition's `raw` names it as `node`)"],
    ]);

    const created = await harness.gql<{ createBackupDefinition: { definition: { id: string; name: string; compression: string; schedule: { cron: string } } } }>(
      'mutation($input: CreateBackupDefinitionInput!) { createBackupDefinition(input: $input) { definition { id name compression schedule { cron } } } }',
      { input: { instanceId, name: 'hourly', cron: '15 * * * *', retention: 24, compression: 'XZ', description: 'every hour', node: 'node99.erigones.com' } },
    );
    expect(created.data?.createBackupDefinition.definition).toMatchObject({ name: 'hourly', compression: 'XZ', schedule: { cron: '15 * * * *' } });
    const sent = harness.simulator('danube').server.log.find((request) => request.method === 'POST')!;
    expect(JSON.parse(sent.bodyText)).toMatchObject({ schedule: '15 * * * *', retention: 24, compression: 3, desc: 'every hour', disk_id: 1 });

    const duplicate = await harness.gql('mutation($input: CreateBackupDefinitionInput!) { createBackupDefinition(input: $input) { definition { id } } }', { input: { instanceId, name: 'hourly', cron: '15 * * * *', retention: 24, node: 'node99.erigones.com' } });
    expect(errorCodes(duplicate)).toEqual(['CONFLICT']);

    const id = created.data!.createBackupDefinition.definition.id;
    const updated = await harness.gql<{ updateBackupDefinition: { definition: { retention: number; active: boolean } } }>('mutation($input: UpdateBackupDefinitionInput!) { updateBackupDefinition(input: $input) { definition { retention active } } }', { input: { definitionId: id, retention: 48, active: false } });
    expect(updated.data?.updateBackupDefinition.definition).toEqual({ retention: 48, active: false });
    const deleted = await harness.gql<{ deleteBackupDefinition: { deletedId: string } }>('mutation($input: DeleteBackupDefinitionInput!) { deleteBackupDefinition(input: $input) { deletedId } }', { input: { definitionId: id } });
    expect(deleted.data?.deleteBackupDefinition.deletedId).toBe(id);
    expect(simulator.definitions.some((definition) => definition.name === 'hourly')).toBe(false);
  });

  it('follows a task to success, and reports failed, revoked and forgotten tasks', async () => {
    simulator.asyncDelayMs = 100;
    const create = (index: number) =>
      harness.gql<{ createBackup: { operation: { id: string; status: string; providerOperationId: string } } }>('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status providerOperationId } } }', {
        input: { instanceId: nodes[index]!.id, name: 'manual', definitionName: 'daily' },
      });
    const ok = await create(6);
    expect(ok.data?.createBackup.operation.status).toBe('RUNNING');
    const done = await eventually(() => harness.gql<{ operation: { status: string; backup: { name: string; status: string } } }>(OPERATION, { id: ok.data!.createBackup.operation.id }), (poll) => poll.data?.operation.status !== 'RUNNING');
    expect(done.data?.operation).toMatchObject({ status: 'SUCCEEDED', backup: { name: expect.stringMatching(/^daily-\d{8}_\d{6}$/), status: 'AVAILABLE' } });

    simulator.failNextTask = 'zfs send failed';
    const failed = await create(7);
    const failedDone = await eventually(() => harness.gql<{ operation: { status: string; error: string } }>(OPERATION, { id: failed.data!.createBackup.operation.id }), (poll) => poll.data?.operation.status !== 'RUNNING');
    expect(failedDone.data?.operation).toMatchObject({ status: 'FAILED', error: 'zfs send failed' });

    simulator.asyncDelayMs = 60_000;
    const revoked = await create(8);
    simulator.revokeTask(revoked.data!.createBackup.operation.providerOperationId);
    expect((await harness.gql<{ operation: { status: string; error: string } }>(OPERATION, { id: revoked.data!.createBackup.operation.id })).data?.operation).toMatchObject({ status: 'FAILED', error: 'the task was revoked' });
    const forgotten = await create(9);
    // Forgotten before it ran: its backup still reads pending, so the create may yet finish
    // (danube-forgotten-create.test.ts follows forgotten creates to their ends).
    simulator.forgetTask(forgotten.data!.createBackup.operation.providerOperationId);
    expect((await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id: forgotten.data!.createBackup.operation.id })).data?.operation).toMatchObject({ status: 'RUNNING', error: null });
    simulator.asyncDelayMs = 100;
  });

  it('maps provider refusals: a failed backup cannot be restored (417 -> CONFLICT), nor a running VM, with force or without (423 -> CONFLICT)', async () => {
    const lost = nodes[3]!.backups[0]!;
    const restore = (backupId: string, force = false) => harness.gql('mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }', { input: { backupId, confirm: true, force } });
    expect(errorCodes(await restore(lost.id))).toEqual(['CONFLICT']);
    const running = await restore(nodes[3]!.backups[1]!.id);
    expect(errorCodes(running)).toEqual(['CONFLICT']);
    expect(running.errors?.[0]?.message).toContain('VM is not stopped: stop the VM at Danube (the gateway neither starts nor stops VMs), then send the restore again');
    const forced = await restore(nodes[3]!.backups[1]!.id, true);
    expect(errorCodes(forced)).toEqual(['CONFLICT']);
    expect(forced.errors?.[0]?.message).toContain('VM is not stopped: stop the VM at Danube (the gateway neither starts nor stops VMs), then send the restore again');
  });

  it('changes a backup note with updateBackupNote', async () => {
    const backup = nodes[10]!.backups[1]!;
    const answer = await harness.gql<{ updateBackupNote: { backup: { note: string } } }>('mutation($input: UpdateBackupNoteInput!) { updateBackupNote(input: $input) { backup { note } } }', { input: { backupId: backup.id, note: 'keep: audit 2024' } });
    expect(answer.data?.updateBackupNote.backup.note).toBe('keep: audit 2024');
    expect(simulator.backups.find((item) => item.name === backup.name && item.hostname === nodes[10]!.nativeId)?.note).toBe('keep: audit 2024');
  });

  it('refuses a hostname with a slash, dot-dot or control characters before any request', async () => {
    for (const hostname of ['a/b.example.com', '..', 'web..example.com', 'web\u0001.example.com']) {
      const id = encodeId('Backup', 'danube-test', [hostname, 'daily-20240710_040001', '1']);
      harness.resetUpstreamLogs();
      const answer = await harness.gql('mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }', { input: { backupId: id } });
      expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
      expect(harness.upstreamCount()).toBe(0);
    }
  });

  it('renews an expired token once, with one login for many concurrent requests', async () => {
    simulator.expireToken();
    const before = simulator.logins;
    const answers = await Promise.all(nodes.slice(0, 6).map((node) => harness.gql('query($id: ID!) { instance(id: $id) { backups { id } } }', { id: node.id })));
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    expect(simulator.logins - before).toBe(1);
    for (const line of harness.logs) expect(line).not.toContain(DANUBE_SIM_PASSWORD);
  });
});

describe('danube: a virtual datacenter from the config', () => {
  it('scopes every call to `dc`, as a query parameter on reads and in the body on writes', async () => {
    await withHarness({ kinds: ['danube'], configure: withProviderSettings({ dc: 'main' }) }, async (harness) => {
      const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string; backups: Array<{ id: string }> } }> } }>('{ instances { edges { node { id backups { id } definitions { id } } } } }');
      expect(list.errors).toBeUndefined();
      await harness.gql('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', { input: { instanceId: list.data!.instances.edges[1]!.node.id, name: 'scoped', definitionName: 'daily' } });
      const log = harness.simulator('danube').server.log;
      expect(log.length).toBeGreaterThan(3);
      for (const request of log) {
        if (request.method === 'GET') expect(new URLSearchParams(request.query).get('dc')).toBe('main');
        else expect(JSON.parse(request.bodyText)).toMatchObject({ dc: 'main' });
      }
    });
  });
});
