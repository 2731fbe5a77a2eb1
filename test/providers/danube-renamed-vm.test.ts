import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { operationId } from '../../src/gateway/ids.js';
import { eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

interface Node {
  id: string;
  nativeId: string;
  backups: Array<{ id: string; name: string; instance: { id: string } | null }>;
}

const INSTANCES = '{ instances(first: 100) { edges { node { id nativeId backups { id name instance { id } } } } } }';
const FLAT = 'query($filter: BackupFilter) { backups(filter: $filter, first: 1000) { edges { node { name instance { id } } } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';

/**
 * A Danube VM renamed after some of its backups were made. esdc-ce lists a VM's backups by the VM
 * itself, each row's `hostname` the one it was made under (`vm_hostname`), `vm` and `vm_uuid` the
 * VM as it is now. The older backups are the renamed VM's, and are acted on through it, also when
 * another VM has since taken the old hostname. Under both readings of "Original server hostname or
 * uuid": esdc-ce's own (the backup endpoints fall back to the hostname a backup was made under
 * when no VM answers to it) and a stricter one (they answer only to a VM's hostname or uuid now).
 */
describe.each([
  { reading: "esdc-ce's: backup endpoints also take a backup's original hostname", answersToOriginalHostname: true },
  { reading: 'strict: every endpoint answers only to a VM hostname or uuid now', answersToOriginalHostname: false },
])('danube: a renamed VM ($reading)', ({ answersToOriginalHostname }) => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let renamed: Node;
  let newcomer: Node;
  let olderNames: string[];

  const nodes = async (): Promise<Node[]> => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    return answer.data!.instances.edges.map((edge) => edge.node);
  };
  const finished = (id: string) => eventually(() => harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id }), (answer) => answer.data?.operation.status !== 'RUNNING');

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    simulator.answersToOriginalHostname = answersToOriginalHostname;
    simulator.asyncDelayMs = 20;
    // web05 is stopped (restorable onto) and has backups; renamed, and its old hostname given to a new VM.
    olderNames = simulator.backups.filter((backup) => backup.hostname === 'web05.example.com').map((backup) => String(backup.name));
    expect(olderNames.length).toBeGreaterThan(1);
    simulator.renameVm('web05.example.com', 'app05.example.com');
    simulator.vms.push({ hostname: 'web05.example.com', uuid: randomUUID(), alias: 'newcomer', status: 'stopped', node: 'node99.erigones.com', vcpus: 1, ram: 1024, disks: 1 });
    const all = await nodes();
    renamed = all.find((node) => node.nativeId === 'app05.example.com')!;
    newcomer = all.find((node) => node.nativeId === 'web05.example.com')!;
  });
  afterAll(() => harness.close());

  it("lists the older backups under the renamed VM, each naming it as its instance; the old hostname's new owner has none", async () => {
    expect(renamed.backups.map((backup) => backup.name).sort()).toEqual([...olderNames].sort());
    for (const backup of renamed.backups) expect(backup.instance?.id).toBe(renamed.id);
    expect(newcomer.backups).toEqual([]);
    const flat = await harness.gql<{ backups: { edges: Array<{ node: { name: string; instance: { id: string } | null } }> } }>(FLAT, { filter: { providerId: 'danube-test' } });
    const edges = flat.data!.backups.edges;
    expect(edges.filter((edge) => edge.node.instance?.id === renamed.id).map((edge) => edge.node.name).sort()).toEqual([...olderNames].sort());
    expect(edges.filter((edge) => edge.node.instance === null)).toEqual([]);
  });

  it('deletes an older backup through the renamed VM', async () => {
    const doomed = renamed.backups[0]!;
    const answer = await harness.gql<{ deleteBackup: { operation: { id: string; status: string } } }>(DELETE, { input: { backupId: doomed.id } });
    expect(answer.errors).toBeUndefined();
    expect((await finished(answer.data!.deleteBackup.operation.id)).data?.operation).toEqual({ status: 'SUCCEEDED', error: null });
    expect(simulator.backups.some((backup) => backup.name === doomed.name && backup.hostname === 'web05.example.com')).toBe(false);
    expect((await nodes()).find((node) => node.id === renamed.id)!.backups.map((backup) => backup.name)).not.toContain(doomed.name);
  });

  it('restores an older backup onto the renamed VM', async () => {
    const source = renamed.backups[1]!;
    const answer = await harness.gql<{ restoreBackup: { operation: { id: string; status: string } } }>(RESTORE, { input: { backupId: source.id, confirm: true } });
    expect(answer.errors).toBeUndefined();
    expect((await finished(answer.data!.restoreBackup.operation.id)).data?.operation).toEqual({ status: 'SUCCEEDED', error: null });
    expect(simulator.backups.find((backup) => backup.name === source.name && backup.hostname === 'web05.example.com')?.status).toBe(1);
  });
});

/**
 * A backup read from the read cache, filled before its VM was renamed: the hostname in the cached
 * record now names another VM, which took it. The delete names the backup's VM by its uuid.
 */
describe('danube: a backup cached before its VM was renamed', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    simulator.asyncDelayMs = 20;
  });
  afterAll(() => harness.close());

  it('deletes it by the VM uuid its row carried', async () => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(INSTANCES);
    const vm = answer.data!.instances.edges.map((edge) => edge.node).find((node) => node.nativeId === 'web03.example.com')!;
    const doomed = vm.backups[0]!;
    simulator.renameVm('web03.example.com', 'db03.example.com');
    simulator.vms.push({ hostname: 'web03.example.com', uuid: randomUUID(), alias: 'newcomer', status: 'running', node: 'node99.erigones.com', vcpus: 1, ram: 1024, disks: 1 });
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string } } }>(DELETE, { input: { backupId: doomed.id } });
    expect(deleted.errors).toBeUndefined();
    const operation = await eventually(() => harness.gql<{ operation: { status: string } }>(OPERATION, { id: deleted.data!.deleteBackup.operation.id }), (read) => read.data?.operation.status !== 'RUNNING');
    expect(operation.data?.operation.status).toBe('SUCCEEDED');
    expect(simulator.backups.some((backup) => backup.name === doomed.name && backup.hostname === 'web03.example.com')).toBe(false);
  });
});

/**
 * Danube forgets a task's result a while after it ran (404 "Task does not exist (anymore)"), and a
 * delete is then judged by whether the VM still lists its backup. A VM renamed since the delete no
 * longer answers to the hostname the operation id names; another VM may have taken it.
 */
describe('danube: a delete whose task Danube forgot after the VM was renamed', () => {
  const DELETE_WITH_TASK = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status providerOperationId } } }';
  let harness: Harness;
  let simulator: DanubeSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    simulator.asyncDelayMs = 60_000;
  });
  afterAll(() => harness.close());

  /** Deletes the first backup of the `nth` VM listing any, each test a VM of its own. */
  async function deleteOnVm(nth: number): Promise<{ hostname: string; operationId: string; taskId: string; backupName: string }> {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(INSTANCES);
    const vm = answer.data!.instances.edges.map((edge) => edge.node).filter((node) => node.backups.length > 0)[nth]!;
    const doomed = vm.backups[0]!;
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string; status: string; providerOperationId: string } } }>(DELETE_WITH_TASK, { input: { backupId: doomed.id } });
    expect(deleted.errors).toBeUndefined();
    expect(deleted.data!.deleteBackup.operation.status).toBe('RUNNING');
    return { hostname: vm.nativeId, operationId: deleted.data!.deleteBackup.operation.id, taskId: deleted.data!.deleteBackup.operation.providerOperationId, backupName: doomed.name };
  }
  const read = async (id: string) => (await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id })).data?.operation;

  it('reports SUCCEEDED once the renamed VM no longer lists the backup (under the strict reading the old hostname answered 404 at every poll)', async () => {
    // Every endpoint answers only to a VM's hostname or uuid now (see the first describe).
    simulator.answersToOriginalHostname = false;
    const { hostname, operationId, taskId, backupName } = await deleteOnVm(0);
    simulator.renameVm(hostname, `renamed-${hostname}`);
    simulator.expireTask(taskId);
    expect(await read(operationId)).toEqual({ status: 'SUCCEEDED', error: null });
    expect(simulator.backups.some((backup) => backup.name === backupName && backup.hostname === hostname)).toBe(false);
  });

  it("reports FAILED when the delete failed, though another VM has taken the old hostname and lists no such backup (it read SUCCEEDED from the newcomer's list)", async () => {
    simulator.failNextTask = 'zfs destroy failed';
    const { hostname, operationId, taskId, backupName } = await deleteOnVm(1);
    simulator.renameVm(hostname, `renamed-${hostname}`);
    simulator.vms.push({ hostname, uuid: randomUUID(), alias: 'newcomer', status: 'running', node: 'node99.erigones.com', vcpus: 1, ram: 1024, disks: 1 });
    simulator.expireTask(taskId);
    const operation = await read(operationId);
    expect(operation?.status).toBe('FAILED');
    expect(operation?.error).toMatch(/still there/);
    expect(simulator.backups.some((backup) => backup.name === backupName && backup.hostname === hostname)).toBe(true);
  });
});

describe("danube: a delete's operation id naming its VM by something other than a uuid", () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
  });
  afterAll(() => harness.close());

  it('is refused as BAD_USER_INPUT naming the uuid, a made-up part of a client-sent id', async () => {
    const madeUp = operationId({ providerId: 'danube-test', kind: 'DELETE_BACKUP', startedAt: new Date(), instanceNativeId: 'web01.example.com', backupNativeId: 'daily-1', token: ['gone-task', '1', '../../task/x'] });
    const answer = await harness.gql(OPERATION, { id: madeUp });
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(answer.errors?.[0]?.message).toMatch(/VM uuid/);
  });
});
