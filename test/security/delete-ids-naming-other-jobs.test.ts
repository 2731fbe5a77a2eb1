import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationRef } from '../../src/domain/types.js';
import { decodeBackupId, decodeOperationId, operationId, type EntityAddress } from '../../src/gateway/ids.js';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { dashboardNodes, type DashboardNode } from '../helpers/dashboard.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { told, toldOf, UNVOUCHED } from '../helpers/operation-told.js';

/**
 * An operation id is built from provider-native ids: a delete's names its job (ZStack) or task
 * (Danube), its VM and its backup. A client can write a delete id around the job or task of
 * another operation (a create, another backup's delete), known from that operation's id, and any
 * backup. Read by that job or task, it told the other operation's status as this delete's:
 * RUNNING while it ran, then SUCCEEDED or FAILED. Neither provider's answer names the backup a
 * job or task deletes, so such a read is told only for a delete the gateway recorded starting.
 */

const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';

/** A delete id around the job or task of another operation, naming `backup`. */
function deleteAround(other: OperationRef, backup: EntityAddress): string {
  return operationId({ ...other, kind: 'DELETE_BACKUP', instanceNativeId: backup.instanceNativeId, backupNativeId: backup.nativeId, token: [other.token[0]!, ...backup.keyExtra] });
}

interface Setup {
  kind: 'zstack' | 'danube';
  /** The create's input besides its instance. */
  create: Record<string, unknown>;
  /** Whether the VM can take the create. */
  creates: (node: DashboardNode) => boolean;
  /** A backup of the VM that no list holds. */
  madeUp: (vm: string) => EntityAddress;
  /** Every job or task ends now. */
  finishAll: (harness: Harness) => void;
}

describe.each<Setup>([
  {
    kind: 'zstack',
    create: { name: 'other-job' },
    creates: () => true,
    madeUp: (vm) => ({ providerId: '', instanceNativeId: vm, nativeId: randomUUID().replaceAll('-', ''), keyExtra: [] }),
    finishAll: (harness) => (harness.simulator('zstack').simulator as ZstackSimulator).finishJobs(),
  },
  {
    kind: 'danube',
    create: { name: 'other-task', definitionName: 'daily' },
    creates: (node) => node.definitions.some((definition) => definition.name === 'daily'),
    madeUp: (vm) => ({ providerId: '', instanceNativeId: vm, nativeId: 'daily-20990101_000000', keyExtra: ['1'] }),
    finishAll: (harness) => {
      for (const task of (harness.simulator('danube').simulator as DanubeSimulator).tasks.values()) task.doneAt = 0;
    },
  },
])('$kind: a delete operation id naming the job or task of another operation', ({ kind, create, creates, madeUp, finishAll }) => {
  let harness: Harness;
  /** The gateway's own create and delete, and a backup of the same VM that neither touches. */
  let created: OperationRef;
  let deleted: { id: string; ref: OperationRef };
  let untouched: EntityAddress;

  beforeAll(async () => {
    // No read cache: each read asks the provider's list as it is then.
    harness = await startHarness({ kinds: [kind], simulator: { instances: 8 }, configure: withProviderSettings({ cacheTtlMs: 0 }) });
    // Jobs and tasks run until a test ends them.
    (harness.simulator(kind).simulator as ZstackSimulator | DanubeSimulator).asyncDelayMs = 600_000;
    const nodes = await dashboardNodes(harness);
    const deletable = (node: DashboardNode) => node.backups.filter((backup) => backup.status === 'AVAILABLE' && !backup.protected);
    const vm = nodes.find((node) => creates(node) && deletable(node).length >= 2);
    if (!vm) throw new Error(`the ${kind} simulator shows no VM to create on with two deletable backups`);
    const [toDelete, kept] = deletable(vm) as [DashboardNode['backups'][number], DashboardNode['backups'][number]];
    untouched = decodeBackupId(kept.id);

    const createAnswer = await harness.gql<{ createBackup: { operation: { id: string; status: string } } }>(CREATE, { input: { instanceId: vm.id, ...create } });
    expect(createAnswer.errors).toBeUndefined();
    expect(createAnswer.data!.createBackup.operation.status).toBe('RUNNING');
    created = decodeOperationId(createAnswer.data!.createBackup.operation.id);

    const deleteAnswer = await harness.gql<{ deleteBackup: { operation: { id: string; status: string } } }>(DELETE, { input: { backupId: toDelete.id } });
    expect(deleteAnswer.errors).toBeUndefined();
    expect(deleteAnswer.data!.deleteBackup.operation.status).toBe('RUNNING');
    deleted = { id: deleteAnswer.data!.deleteBackup.operation.id, ref: decodeOperationId(deleteAnswer.data!.deleteBackup.operation.id) };
  });
  afterAll(() => harness.close());

  it('while the other job or task runs: NOT_FOUND by operation and subscription, null by node, not RUNNING; the own delete reads RUNNING', async () => {
    expect(await toldOf(harness, deleteAround(created, untouched))).toEqual(UNVOUCHED);
    expect(await toldOf(harness, deleteAround(deleted.ref, untouched))).toEqual(UNVOUCHED);
    expect(await toldOf(harness, deleted.id)).toEqual(told('RUNNING'));
  });

  it('once it has ended: NOT_FOUND, not the other operation\'s SUCCEEDED or FAILED; the own delete reads SUCCEEDED', async () => {
    finishAll(harness);
    for (const forged of [deleteAround(created, untouched), deleteAround(created, madeUp(untouched.instanceNativeId)), deleteAround(deleted.ref, untouched)]) {
      expect(await toldOf(harness, forged)).toEqual(UNVOUCHED);
    }
    expect(await toldOf(harness, deleted.id)).toEqual(told('SUCCEEDED'));
  });
});

describe('zstack: a delete id around a finished create\'s job', () => {
  let harness: Harness;
  let forged: string;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    const vm = (await dashboardNodes(harness)).find((node) => node.backups.length > 0)!;
    const answer = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: vm.id, name: 'made-first' } });
    expect(answer.errors).toBeUndefined();
    (harness.simulator('zstack').simulator as ZstackSimulator).finishJobs();
    forged = deleteAround(decodeOperationId(answer.data!.createBackup.operation.id), decodeBackupId(vm.backups[0]!.id));
  });
  afterAll(() => harness.close());

  it('is NOT_FOUND from the job\'s answer alone (a create\'s result, `inventories`): no backup list is read for it', async () => {
    const lists = () => harness.simulator('zstack').server.count('GET /zstack/v1/volume-backups');
    const before = lists();
    expect(errorCodes(await harness.gql(OPERATION, { id: forged }))).toEqual(['NOT_FOUND']);
    expect(lists() - before).toBe(0);
  });
});
