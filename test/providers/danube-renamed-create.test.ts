import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBackupId, decodeOperationId, operationId } from '../../src/gateway/ids.js';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { type Ask, danubeHarness, madeWithNote, type Node, startCreate } from '../helpers/danube-creates.js';
import type { Harness } from '../helpers/harness.js';
import { NamedMemoryStore } from '../helpers/named-memory-store.js';
import { recordedAsStarted } from '../helpers/started-record.js';

const READ = 'query($id: ID!) { operation(id: $id) { status error backupId } }';
const READ_BACKUP = 'query($id: ID!) { operation(id: $id) { backupId backup { id name diskId instance { nativeId } } } }';

interface Read {
  status: string;
  error: string | null;
  /** The backup's name and disk, from the operation's `backupId`. */
  backup: { name: string; diskId: string } | null;
}

async function read(ask: Ask, id: string): Promise<Read | undefined> {
  const answer = await ask<{ operation: { status: string; error: string | null; backupId: string | null } }>(READ, { id });
  expect(answer.errors).toBeUndefined();
  const operation = answer.data?.operation;
  if (!operation) return undefined;
  const address = operation.backupId ? decodeBackupId(operation.backupId) : null;
  return { status: operation.status, error: operation.error, backup: address && { name: address.nativeId, diskId: address.keyExtra[0] ?? '' } };
}

interface BackupRead {
  backupId: string | null;
  backup: { id: string; name: string; diskId: string; instance: { nativeId: string } | null } | null;
}

/** The operation's backup as the client reads it: the Backup itself, not only its id. */
async function readBackup(ask: Ask, id: string): Promise<BackupRead | undefined> {
  const answer = await ask<{ operation: BackupRead }>(READ_BACKUP, { id });
  expect(answer.errors).toBeUndefined();
  return answer.data?.operation;
}

/** The renamed VM's backup, read as the operation's, with the id its VM's list gives it. */
async function expectBackupOfRenamed(ask: Ask, id: string, name: string, renamedTo: string): Promise<void> {
  const read = await readBackup(ask, id);
  expect(read?.backup).toEqual({ id: expect.any(String), name, diskId: '1', instance: { nativeId: renamedTo } });
  expect(read?.backupId).toBe(read?.backup?.id);
}

/** The id a create would have had before its operation id kept the VM's uuid: [task, disk, definition, mark]. */
function withoutUuid(id: string): string {
  const ref = decodeOperationId(id);
  expect(ref.token).toHaveLength(5);
  return operationId({ ...ref, token: ref.token.slice(0, 4) });
}

/**
 * A current esdc-ce's finished create names no backup: the gateway finds it among the VM's
 * backups of the definition and disk made since the create began. A VM renamed between the
 * create and that read no longer answers to the hostname in the operation id (or, where the
 * backup endpoints take a backup's original hostname, lists the new backup as the renamed VM's,
 * `vm` its new name): the read goes by the VM's uuid, kept in the operation id. Under both
 * readings of "Original server hostname or uuid" (see danube-renamed-vm.test.ts). The operation's
 * `backup` is then the renamed VM's backup, read under its new hostname (it was null, or VM not
 * found), on the read that finds it and on those answered from what that read kept.
 */
describe.each([
  { reading: "esdc-ce's", answersToOriginalHostname: true },
  { reading: 'strict', answersToOriginalHostname: false },
])('danube: a create whose VM is renamed before its poll ($reading reading)', ({ answersToOriginalHostname }) => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let nodes: Node[];
  let ask: Ask;
  beforeAll(async () => {
    ({ harness, simulator, nodes } = await danubeHarness());
    ask = harness.gql;
    simulator.asyncDelayMs = 60_000;
    simulator.answersToOriginalHostname = answersToOriginalHostname;
  });
  afterAll(() => harness.close());

  it('is SUCCEEDED naming its backup when its task is read done (it named none)', async () => {
    const node = nodes[2]!;
    const { id, taskId } = await startCreate(ask, node, 'renamed-done');
    simulator.renameVm(node.nativeId, `renamed-${node.nativeId}`);
    simulator.tasks.get(taskId)!.doneAt = 0;
    expect(await read(ask, id)).toEqual({ status: 'SUCCEEDED', error: null, backup: { name: madeWithNote(simulator, node, 'renamed-done'), diskId: '1' } });
    // The first read found it in the VM's list; this one answers from what that read kept.
    await expectBackupOfRenamed(ask, id, madeWithNote(simulator, node, 'renamed-done'), `renamed-${node.nativeId}`);
  });

  it('is SUCCEEDED naming its backup when its task is forgotten (it read FAILED "could not be confirmed", or failed the poll)', async () => {
    const node = nodes[3]!;
    const { id, taskId } = await startCreate(ask, node, 'renamed-forgotten');
    simulator.renameVm(node.nativeId, `renamed-${node.nativeId}`);
    simulator.expireTask(taskId);
    expect(await read(ask, id)).toEqual({ status: 'SUCCEEDED', error: null, backup: { name: madeWithNote(simulator, node, 'renamed-forgotten'), diskId: '1' } });
    await expectBackupOfRenamed(ask, id, madeWithNote(simulator, node, 'renamed-forgotten'), `renamed-${node.nativeId}`);
  });
});

describe('danube: a create operation id made before it kept the VM uuid', () => {
  let harness: Harness;
  /** The gateway's store: an id written as an older version answered it is recorded there as that version's mutation would have. */
  const store = new NamedMemoryStore();
  let simulator: DanubeSimulator;
  let nodes: Node[];
  let ask: Ask;
  beforeAll(async () => {
    ({ harness, simulator, nodes } = await danubeHarness({ store }));
    ask = harness.gql;
    simulator.asyncDelayMs = 60_000;
  });
  afterAll(() => harness.close());

  it('still finds its backup by the hostname when its task is read done', async () => {
    const node = nodes[4]!;
    const { id, taskId } = await startCreate(ask, node, 'old-id-done');
    simulator.tasks.get(taskId)!.doneAt = 0;
    expect(await read(ask, await recordedAsStarted(store, withoutUuid(id)))).toEqual({ status: 'SUCCEEDED', error: null, backup: { name: madeWithNote(simulator, node, 'old-id-done'), diskId: '1' } });
  });

  it('still judges a forgotten task by the hostname', async () => {
    const node = nodes[5]!;
    const { id, taskId } = await startCreate(ask, node, 'old-id-forgotten');
    simulator.expireTask(taskId);
    expect(await read(ask, await recordedAsStarted(store, withoutUuid(id)))).toEqual({ status: 'SUCCEEDED', error: null, backup: { name: madeWithNote(simulator, node, 'old-id-forgotten'), diskId: '1' } });
  });

  it('refuses an id whose VM uuid is no uuid as BAD_USER_INPUT, once its backup is looked for', async () => {
    const node = nodes[6]!;
    const { id, taskId } = await startCreate(ask, node, 'made-up-uuid');
    simulator.expireTask(taskId);
    const ref = decodeOperationId(id);
    const answer = await ask(READ, { id: await recordedAsStarted(store, operationId({ ...ref, token: [...ref.token.slice(0, 4), '../../task/x'] })) });
    expect((answer.errors as Array<{ extensions?: { code?: string }; message: string }> | undefined)?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringMatching(/VM uuid/) });
  });
});
