import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { errorCodes, eventually, startHarness, withHarness, type Harness } from '../helpers/harness.js';

interface Node {
  id: string;
  nativeId: string;
  backups: Array<{ id: string; name: string; status: string }>;
}

const CREATE_DEFINITION = 'mutation($input: CreateBackupDefinitionInput!) { createBackupDefinition(input: $input) { definition { id node } } }';
const CREATE_BACKUP = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status providerOperationId } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';
const CANCEL = 'mutation($input: CancelOperationInput!) { cancelOperation(input: $input) { operation { id status error } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';
const BACKUPS = 'query($id: ID!) { instance(id: $id) { backups { id name status } } }';

/**
 * Danube as its API documents it, where adapter and simulator once agreed on
 * a misreading: a definition's node is required, restore's force defaults to
 * true at Danube and answers for snapshots only (a running VM is refused
 * either way), status 2 is "pending", 412 is the caller's input, field
 * errors name their fields, and tasks can be cancelled.
 */
describe('danube: fidelity to the documented API', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let nodes: Node[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], simulator: { instances: 12 } });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>('{ instances(first: 100) { edges { node { id nativeId backups { id name status } } } } }');
    expect(answer.errors).toBeUndefined();
    nodes = answer.data!.instances.edges.map((edge) => edge.node);
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    simulator.asyncDelayMs = 50;
    harness.resetUpstreamLogs();
  });

  const posts = () => harness.simulator('danube').server.count((request) => request.method !== 'GET');

  it('refuses a definition without a node (required by Danube) as BAD_USER_INPUT before any write', async () => {
    const answer = await harness.gql(CREATE_DEFINITION, { input: { instanceId: nodes[2]!.id, name: 'nodeless', cron: '0 3 * * *', retention: 7 } });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.message).toContain('node');
    expect(posts()).toBe(0);
    const made = await harness.gql<{ createBackupDefinition: { definition: { node: string } } }>(CREATE_DEFINITION, { input: { instanceId: nodes[2]!.id, name: 'noded', cron: '0 3 * * *', retention: 7, node: 'node99.erigones.com' } });
    expect(made.data?.createBackupDefinition.definition.node).toBe('node99.erigones.com');
  });

  it('refuses a definition name Danube does not take (at most 8 characters, a letter or digit first) as BAD_USER_INPUT on name', async () => {
    for (const name of ['nightly-9', '-daily']) {
      const answer = await harness.gql(CREATE_DEFINITION, { input: { instanceId: nodes[2]!.id, name, cron: '0 3 * * *', retention: 7, node: 'node99.erigones.com' } });
      expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
      expect(answer.errors?.[0]?.extensions).toMatchObject({ provider: 'danube-test', fields: ['name'] });
    }
    expect(simulator.definitions.some((definition) => definition.name === 'nightly-9' || definition.name === '-daily')).toBe(false);
  });

  it("passes Danube's field errors on as BAD_USER_INPUT naming the fields", async () => {
    const answer = await harness.gql(CREATE_DEFINITION, { input: { instanceId: nodes[2]!.id, name: 'ghostly', cron: '0 3 * * *', retention: 7, node: 'ghost-node' } });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ provider: 'danube-test', fields: ['node'] });
    expect(answer.errors?.[0]?.message).toContain('ghost-node');
  });

  it('reads 412 "Invalid disk_id" as BAD_USER_INPUT on diskId, not a provider error', async () => {
    const answer = await harness.gql(CREATE_BACKUP, { input: { instanceId: nodes[4]!.id, name: 'disk7', definitionName: 'daily', diskId: 7 } });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ provider: 'danube-test', fields: ['diskId'] });
    const restore = await harness.gql(RESTORE, { input: { backupId: nodes[4]!.backups[1]!.id, targetDiskId: 9, confirm: true, force: true } });
    expect(errorCodes(restore)).toEqual(['BAD_USER_INPUT']);
    expect(restore.errors?.[0]?.extensions).toMatchObject({ fields: ['targetDiskId'] });
  });

  it('sends force: false when the client leaves it out (Danube would default to true), so a disk with snapshots is not restored over them (417 "VM has snapshots")', async () => {
    const stopped = nodes[9]!;
    const disk = `${stopped.nativeId}:1`;
    simulator.snapshots.set(disk, 2);
    try {
      const answer = await harness.gql(RESTORE, { input: { backupId: stopped.backups[2]!.id, confirm: true } });
      expect(errorCodes(answer)).toEqual(['CONFLICT']);
      expect(answer.errors?.[0]?.message).toContain('VM has snapshots: send force: true to restore over them');
      const sent = harness.simulator('danube').server.log.find((request) => request.method === 'PUT')!;
      expect(JSON.parse(sent.bodyText)).toMatchObject({ force: false });
      // force: true is Danube's "Force restore and delete existing snapshots and backups".
      const forced = await harness.gql(RESTORE, { input: { backupId: stopped.backups[2]!.id, confirm: true, force: true } });
      expect(forced.errors).toBeUndefined();
    } finally {
      simulator.snapshots.delete(disk);
    }
  });

  it('refuses a restore onto a running VM even with force: true ("423 Locked – VM is not stopped" does not depend on force)', async () => {
    const running = nodes[3]!;
    for (const force of [false, true]) {
      const answer = await harness.gql(RESTORE, { input: { backupId: running.backups[2]!.id, confirm: true, force } });
      expect(errorCodes(answer)).toEqual(['CONFLICT']);
      expect(answer.errors?.[0]?.message).toContain('VM is not stopped: stop the VM at Danube (the gateway neither starts nor stops VMs), then send the restore again');
    }
  });

  it('refuses a restore onto a VM with a task still running ("409 Conflict – VM has pending tasks") as CONFLICT saying to wait, and takes it once the task is done', async () => {
    const stopped = nodes[4]!;
    const finishTasks = () => {
      for (const task of simulator.tasks.values()) task.doneAt = 0;
    };
    simulator.asyncDelayMs = 60_000;
    try {
      // Not forced: a forced restore, once its task has run, deletes the disk's other backups (the
      // simulator's tasks now run unpolled), among them the one the restores below name.
      const first = await harness.gql(RESTORE, { input: { backupId: stopped.backups[1]!.id, confirm: true, force: false } });
      expect(first.errors).toBeUndefined();
      // Another backup of the same VM: its own status is OK, the VM is busy with the first restore.
      const second = await harness.gql(RESTORE, { input: { backupId: stopped.backups[2]!.id, confirm: true, force: true } });
      expect(errorCodes(second)).toEqual(['CONFLICT']);
      expect(second.errors?.[0]?.message).toContain('VM has pending tasks: Danube is still running another task on the target VM');
      finishTasks();
      // A create of the VM's is a pending task too.
      const created = await harness.gql(CREATE_BACKUP, { input: { instanceId: stopped.id, name: 'busy', definitionName: 'daily' } });
      expect(created.errors).toBeUndefined();
      expect(errorCodes(await harness.gql(RESTORE, { input: { backupId: stopped.backups[2]!.id, confirm: true, force: true } }))).toEqual(['CONFLICT']);
      finishTasks();
      const third = await harness.gql(RESTORE, { input: { backupId: stopped.backups[2]!.id, confirm: true, force: true } });
      expect(third.errors).toBeUndefined();
    } finally {
      finishTasks();
    }
  });

  it('shows a backup whose create task is still running as PENDING (Danube status 2, "pending")', async () => {
    simulator.asyncDelayMs = 60_000;
    const answer = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE_BACKUP, { input: { instanceId: nodes[6]!.id, name: 'slow', definitionName: 'daily' } });
    expect(answer.errors).toBeUndefined();
    const listed = await harness.gql<{ instance: { backups: Array<{ status: string }> } }>(BACKUPS, { id: nodes[6]!.id });
    expect(listed.data?.instance.backups.map((backup) => backup.status)).toContain('PENDING');
    expect(listed.data?.instance.backups.map((backup) => backup.status)).not.toContain('CREATING');
  });

  it('cancels a running task with PUT /task/{id}/cancel, which answers the task\'s status (410 REVOKED, as Danube does): the operation reads FAILED (revoked), with an audit line', async () => {
    simulator.asyncDelayMs = 60_000;
    const started = await harness.gql<{ createBackup: { operation: { id: string; providerOperationId: string } } }>(CREATE_BACKUP, { input: { instanceId: nodes[7]!.id, name: 'to-cancel', definitionName: 'daily' } });
    const { id, providerOperationId } = started.data!.createBackup.operation;
    harness.resetUpstreamLogs();
    const cancelled = await harness.gql<{ cancelOperation: { operation: { id: string; status: string; error: string } } }>(CANCEL, { input: { operationId: id } });
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data?.cancelOperation.operation).toEqual({ id, status: 'FAILED', error: 'the task was revoked' });
    expect(harness.simulator('danube').server.count(`PUT /task/:x/cancel`)).toBe(1);
    expect(simulator.tasks.get(providerOperationId)?.revoked).toBe(true);
    expect((await harness.gql<{ operation: { status: string } }>(OPERATION, { id })).data?.operation.status).toBe('FAILED');
    const audit = harness.logs.filter((line) => line.includes('"audit":true') && line.includes('"operation":"cancelOperation"'));
    expect(audit.at(-1)).toContain('"outcome":"ok"');
  });

  it('reads the documented status words with a trailing "-" (stopped-, running-, frozen-, notcreated-) as their bare word: a stopped- VM is STOPPED, yet no restore target (esdc-ce)', async () => {
    // providers.md (Danube, VM list): "status values: stopped, running, stopping, notready, deploying,
    // frozen, notcreated, stopped-, running-, frozen-, notcreated-, error" (esdc-ce vms/models/vm.py).
    const words: Record<string, string> = { 'stopped-': 'STOPPED', 'running-': 'RUNNING', 'frozen-': 'SUSPENDED', 'notcreated-': 'STOPPED', error: 'UNKNOWN' };
    const picked = [9, 10, 11, 2, 5].map((index) => nodes[index]!);
    const vms = picked.map((node) => simulator.vms.find((vm) => vm.hostname === node.nativeId)!);
    const before = vms.map((vm) => vm.status);
    try {
      Object.keys(words).forEach((word, index) => (vms[index]!.status = word));
      const answer = await harness.gql<{ instances: { edges: Array<{ node: { nativeId: string; state: string; status: string } }> } }>('{ instances(first: 100) { edges { node { nativeId state status } } } }');
      expect(answer.errors).toBeUndefined();
      const seen = Object.fromEntries(answer.data!.instances.edges.filter((edge) => picked.some((node) => node.nativeId === edge.node.nativeId)).map((edge) => [edge.node.state, edge.node.status]));
      expect(seen).toEqual(words);
      // Listed STOPPED, but not stopped for a restore: esdc-ce's VmBackup.put asks `vm.status != vm.STOPPED`,
      // and `stopped-` is its NOTREADY_STOPPED (a task works on the disk), so "423 – VM is not stopped".
      // backups[2]: the forced restore above kept it (the one it restored from) and deleted the others.
      const restore = await harness.gql(RESTORE, { input: { backupId: picked[0]!.backups[2]!.id, confirm: true } });
      expect(restore.errors?.[0]?.message).toMatch(/^VM is not stopped/);
    } finally {
      vms.forEach((vm, index) => (vm.status = before[index]));
    }
  });

  it('names the backup of a create that Danube finished at once (200 SUCCESS, "detail": "name=...", as the API example answers)', async () => {
    simulator.finishAtOnce = true;
    try {
      const answer = await harness.gql<{ createBackup: { operation: { id: string; status: string }; backup: { name: string; status: string } | null } }>(
        'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } backup { name status } } }',
        { input: { instanceId: nodes[10]!.id, name: 'at-once', definitionName: 'daily' } },
      );
      expect(answer.errors).toBeUndefined();
      const made = simulator.backups.filter((backup) => backup.hostname === nodes[10]!.nativeId && backup.note === 'at-once');
      expect(made).toHaveLength(1);
      expect(answer.data?.createBackup.operation.status).toBe('SUCCEEDED');
      expect(answer.data?.createBackup.backup).toEqual({ name: made[0]!.name, status: 'AVAILABLE' });
      const followed = await harness.gql<{ operation: { status: string; backup: { name: string } | null } }>('query($id: ID!) { operation(id: $id) { status backup { name } } }', { id: answer.data!.createBackup.operation.id });
      expect(followed.data?.operation).toEqual({ status: 'SUCCEEDED', backup: { name: made[0]!.name } });
    } finally {
      simulator.finishAtOnce = false;
    }
  });

  it('keeps definitions of one name on two disks apart (a definition is one VM disk\'s: disk_id on every call): create, back up and delete the disk-2 one, disk 1\'s stays', async () => {
    const vm = nodes[6]!;
    const DEFINITIONS = 'query($id: ID!) { instance(id: $id) { definitions { id name diskId } } }';
    const created = await harness.gql<{ createBackupDefinition: { definition: { id: string } } }>(
      'mutation($input: CreateBackupDefinitionInput!) { createBackupDefinition(input: $input) { definition { id } } }',
      { input: { instanceId: vm.id, name: 'daily', diskId: 2, cron: '0 5 * * *', retention: 3, node: 'node99.erigones.com' } },
    );
    expect(created.errors).toBeUndefined();
    const listed = await harness.gql<{ instance: { definitions: Array<{ id: string; name: string; diskId: number }> } }>(DEFINITIONS, { id: vm.id });
    const dailies = listed.data!.instance.definitions.filter((definition) => definition.name === 'daily');
    expect(dailies.map((definition) => definition.diskId).sort()).toEqual([1, 2]);
    const diskTwo = dailies.find((definition) => definition.diskId === 2)!;
    expect(diskTwo.id).toBe(created.data!.createBackupDefinition.definition.id);

    const backup = await harness.gql(CREATE_BACKUP, { input: { instanceId: vm.id, name: 'second-disk', definitionName: 'daily', diskId: 2 } });
    expect(backup.errors).toBeUndefined();
    expect(simulator.backups.find((item) => item.hostname === vm.nativeId && item.note === 'second-disk')).toMatchObject({ disk_id: 2, define: 'daily' });

    const deleted = await harness.gql('mutation($input: DeleteBackupDefinitionInput!) { deleteBackupDefinition(input: $input) { deletedId } }', { input: { definitionId: diskTwo.id } });
    expect(deleted.errors).toBeUndefined();
    const left = simulator.definitions.filter((definition) => definition.hostname === vm.nativeId && definition.name === 'daily');
    expect(left.map((definition) => definition.disk_id)).toEqual([1]);
  });

  it('deletes a lost backup (status 4) at once: Danube drops its record with 200 SUCCESS and no task, and the operation is SUCCEEDED', async () => {
    const lost = nodes[3]!.backups.find((backup) => backup.status === 'FAILED')!;
    const answer = await harness.gql<{ deleteBackup: { operation: { id: string; status: string } } }>('mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }', { input: { backupId: lost.id } });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.deleteBackup.operation.status).toBe('SUCCEEDED');
    expect(simulator.backups.some((backup) => backup.hostname === nodes[3]!.nativeId && backup.name === lost.name)).toBe(false);
    expect((await harness.gql<{ operation: { status: string } }>(OPERATION, { id: answer.data!.deleteBackup.operation.id })).data?.operation.status).toBe('SUCCEEDED');
  });

  it("names a create's backup from esdc-ce's own detail form (hostname='...', bkpname='...'), not from the hostname that also ends in name=", async () => {
    const before = simulator.createDetail;
    simulator.createDetail = (hostname, name, diskId) => `hostname='${hostname}', bkpname='${name}', disk_id=${diskId}, fsfreeze=false`;
    simulator.asyncDelayMs = 0;
    const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } backup { name } } }';
    const FOLLOW = 'query($id: ID!) { operation(id: $id) { status backup { name } } }';
    try {
      for (const [node, atOnce] of [[nodes[11]!, true], [nodes[5]!, false]] as const) {
        simulator.finishAtOnce = atOnce;
        const note = `detail-${String(atOnce)}`;
        const answer = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: node.id, name: note, definitionName: 'daily' } });
        expect(answer.errors).toBeUndefined();
        const made = simulator.backups.find((backup) => backup.hostname === node.nativeId && backup.note === note)!;
        const followed = await eventually(() => harness.gql<{ operation: { status: string; backup: { name: string } | null } }>(FOLLOW, { id: answer.data!.createBackup.operation.id }), (poll) => poll.data?.operation.status === 'SUCCEEDED');
        expect(followed.errors).toBeUndefined();
        expect(followed.data?.operation.backup).toEqual({ name: made.name });
      }
    } finally {
      simulator.createDetail = before;
      simulator.finishAtOnce = false;
    }
  });

  it('lists a backup being deleted (Danube sets status 2, which reads PENDING) as DELETING while the gateway deletes it, and a failed create leaves no backup behind', async () => {
    simulator.asyncDelayMs = 60_000;
    // A VM no other test backs up: two creates of one VM and disk in one second share a name (406).
    const vm = nodes[2]!;
    const target = vm.backups.find((backup) => backup.status === 'AVAILABLE')!;
    const deleting = await harness.gql('mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { status } } }', { input: { backupId: target.id } });
    expect(deleting.errors).toBeUndefined();
    // Danube marks it status 2 (PENDING, as for a create); the gateway's record of the delete in flight
    // shows it DELETING in later requests (docs/architecture.md, "Backups being deleted").
    expect(simulator.backups.find((backup) => backup.hostname === vm.nativeId && backup.status === 2)).toBeDefined();
    const listed = await harness.gql<{ instance: { backups: Array<{ id: string; status: string }> } }>(BACKUPS, { id: vm.id });
    expect(listed.data?.instance.backups.find((backup) => backup.id === target.id)?.status).toBe('DELETING');

    simulator.asyncDelayMs = 0;
    simulator.failNextTask = 'zfs send failed';
    const failed = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE_BACKUP, { input: { instanceId: vm.id, name: 'doomed', definitionName: 'daily' } });
    simulator.failNextTask = null;
    expect(failed.errors).toBeUndefined();
    const ended = await eventually(() => harness.gql<{ operation: { status: string } }>(OPERATION, { id: failed.data!.createBackup.operation.id }), (poll) => poll.data?.operation.status !== 'RUNNING');
    expect(ended.data?.operation.status).toBe('FAILED');
    expect(simulator.backups.some((backup) => backup.hostname === vm.nativeId && backup.note === 'doomed')).toBe(false);
  });

  it("keeps a deleted definition's backups, naming no definition and no origin (Danube records the definition, not who ran it)", async () => {
    const vm = nodes[4]!;
    const listed = async () => (await harness.gql<{ instance: { backups: Array<{ id: string; origin: string | null; definition: { name: string } | null }>; definitions: Array<{ id: string; name: string; diskId: number }> } }>('query($id: ID!) { instance(id: $id) { backups { id origin definition { name } } definitions { id name diskId } } }', { id: vm.id })).data!.instance;
    const before = await listed();
    expect(before.backups.length).toBeGreaterThan(0);
    expect(new Set(before.backups.map((backup) => backup.origin))).toEqual(new Set(['SCHEDULED']));
    const daily = before.definitions.find((definition) => definition.name === 'daily' && definition.diskId === 1)!;
    const deleted = await harness.gql('mutation($input: DeleteBackupDefinitionInput!) { deleteBackupDefinition(input: $input) { deletedId } }', { input: { definitionId: daily.id } });
    expect(deleted.errors).toBeUndefined();
    const after = await listed();
    expect(after.backups.map((backup) => backup.id).sort()).toEqual(before.backups.map((backup) => backup.id).sort());
    for (const backup of after.backups) expect(backup).toMatchObject({ origin: null, definition: null });
  });

  it('reports a task that ended before the cancel as it ended', async () => {
    simulator.asyncDelayMs = 0;
    const started = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE_BACKUP, { input: { instanceId: nodes[8]!.id, name: 'quick', definitionName: 'daily' } });
    const id = started.data!.createBackup.operation.id;
    await eventually(() => harness.gql<{ operation: { status: string } }>(OPERATION, { id }), (poll) => poll.data?.operation.status === 'SUCCEEDED');
    const cancelled = await harness.gql<{ cancelOperation: { operation: { status: string } } }>(CANCEL, { input: { operationId: id } });
    expect(cancelled.data?.cancelOperation.operation.status).toBe('SUCCEEDED');
  });
});

describe('danube: force deletes "existing snapshots and backups" (API docs)', () => {
  /** A restore of the stopped fifth VM's second backup onto its own disk, run to its end: the names of the VM's backups after it. */
  const backupsAfterRestore = (force: boolean, forceDeletesBackups: boolean) =>
    withHarness({ kinds: ['danube'], simulator: { instances: 6, asyncDelayMs: 0 } }, async (harness) => {
      const simulator = harness.simulator('danube').simulator as DanubeSimulator;
      simulator.forceDeletesBackups = forceDeletesBackups;
      const list = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>('{ instances(first: 100) { edges { node { id nativeId backups { id name status } } } } }');
      const stopped = list.data!.instances.edges.map((edge) => edge.node)[4]!;
      expect(stopped.backups).toHaveLength(4);
      const restored = stopped.backups[1]!;
      const answer = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: restored.id, confirm: true, force } });
      expect(answer.errors).toBeUndefined();
      const id = answer.data!.restoreBackup.operation.id;
      await eventually(() => harness.gql<{ operation: { status: string } }>(OPERATION, { id }), (poll) => poll.data?.operation.status === 'SUCCEEDED');
      const after = await harness.gql<{ instance: { backups: Array<{ name: string }> } }>(BACKUPS, { id: stopped.id });
      return { restored: restored.name, names: after.data!.instance.backups.map((backup) => backup.name) };
    });

  it('a forced restore leaves the target disk with the backup it was restored from alone, and the gateway lists no deleted one', async () => {
    const { restored, names } = await backupsAfterRestore(true, true);
    expect(names).toEqual([restored]);
  });

  it('a restore without force, or a Danube that deletes snapshots alone, keeps every backup', async () => {
    expect((await backupsAfterRestore(false, true)).names).toHaveLength(4);
    expect((await backupsAfterRestore(true, false)).names).toHaveLength(4);
  });
});
