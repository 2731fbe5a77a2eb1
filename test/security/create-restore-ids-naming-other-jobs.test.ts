import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBackupId, operationId } from '../../src/gateway/ids.js';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { dashboardNodes, type DashboardNode } from '../helpers/dashboard.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { NamedMemoryStore } from '../helpers/named-memory-store.js';
import { told, toldOf, UNVOUCHED } from '../helpers/operation-told.js';
import { around, mutate, type Started } from '../helpers/started-by-mutation.js';
import { recordedAsStarted } from '../helpers/started-record.js';

/**
 * A create's or restore's operation id names its job (ZStack) or task (Danube), its VM and, for a
 * restore, its backup, and a client can write one around the job or task of another operation (a
 * delete, a restore, another VM's create, a restore of another backup), known from that
 * operation's id. Read by that job or task, it told the other operation's status as this one's:
 * RUNNING while it ran, then SUCCEEDED or FAILED. A running job's or task's answer names neither
 * kind nor target, so such a read is told only for an operation the gateway recorded starting.
 */

const OPERATION = 'query($id: ID!) { operation(id: $id) { status } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';

type Backup = DashboardNode['backups'][number];

interface Setup {
  kind: 'zstack' | 'danube';
  /** The create's input besides its instance. */
  create: Record<string, unknown>;
  /** Whether the VM can take the create. */
  creates: (node: DashboardNode) => boolean;
  /** Whether a backup of the VM can be restored onto it. */
  restores: (node: DashboardNode) => boolean;
  /** Every job or task ends now. */
  finishAll: (harness: Harness) => void;
}

const available = (node: DashboardNode): Backup[] => node.backups.filter((backup) => backup.status === 'AVAILABLE' && !backup.protected);

const SETUPS: Setup[] = [
  {
    kind: 'zstack',
    create: { name: 'other-job' },
    creates: () => true,
    restores: () => true,
    finishAll: (harness) => (harness.simulator('zstack').simulator as ZstackSimulator).finishJobs(),
  },
  {
    kind: 'danube',
    create: { name: 'other-task', definitionName: 'daily' },
    creates: (node) => node.definitions.some((definition) => definition.name === 'daily'),
    // Danube restores onto a stopped VM only.
    restores: (node) => node.state === 'stopped',
    finishAll: (harness) => {
      for (const task of (harness.simulator('danube').simulator as DanubeSimulator).tasks.values()) task.doneAt = 0;
    },
  },
];

describe.each<Setup>(SETUPS)('$kind: a create or restore operation id naming the job or task of another operation', ({ kind, create, creates, restores, finishAll }) => {
  let harness: Harness;
  /** The gateway's own create, delete and restore. */
  let created: Started;
  let deleted: Started;
  let restored: Started;
  /** Another VM a create could be of, and a backup the restore is not of. */
  let otherVm: DashboardNode;
  let otherBackup: Backup;

  /** Ids a client can write around the gateway's jobs or tasks, none of them an operation it started. */
  const forgeries = (): Record<string, string> => ({
    'a create around a delete': around(created.ref, deleted.ref),
    'a create around a restore': around(created.ref, restored.ref),
    "another VM's create around this create": operationId({ ...created.ref, instanceNativeId: otherVm.nativeId }),
    'a restore around a create': around(restored.ref, created.ref),
    'a restore around a delete': around(restored.ref, deleted.ref),
    'a restore of another backup around this restore': operationId({ ...restored.ref, backupNativeId: otherBackup.nativeId, token: [restored.ref.token[0]!, ...decodeBackupId(otherBackup.id).keyExtra] }),
  });

  beforeAll(async () => {
    // No read cache: each read asks the provider's list as it is then.
    harness = await startHarness({ kinds: [kind], simulator: { instances: 8 }, configure: withProviderSettings({ cacheTtlMs: 0 }) });
    // Jobs and tasks run until a test ends them.
    (harness.simulator(kind).simulator as ZstackSimulator | DanubeSimulator).asyncDelayMs = 600_000;
    const nodes = await dashboardNodes(harness);
    const restoreVm = nodes.find((node) => restores(node) && available(node).length >= 1);
    const createVm = nodes.find((node) => node !== restoreVm && creates(node) && available(node).length >= 2);
    const another = nodes.find((node) => node !== restoreVm && node !== createVm);
    if (!restoreVm || !createVm || !another) throw new Error(`the ${kind} simulator shows no VMs to create, delete and restore on`);
    otherVm = another;
    const toRestore = available(restoreVm)[0]!;
    otherBackup = available(createVm)[1]!;
    created = await mutate(harness, CREATE, { instanceId: createVm.id, ...create });
    deleted = await mutate(harness, DELETE, { backupId: available(createVm)[0]!.id });
    restored = await mutate(harness, RESTORE, { backupId: toRestore.id, confirm: true });
  });
  afterAll(() => harness.close());

  it('while the other job or task runs: NOT_FOUND by operation and subscription, null by node, not RUNNING; the own create and restore read RUNNING', async () => {
    const told_: Record<string, unknown> = {};
    for (const [name, forged] of Object.entries(forgeries())) told_[name] = await toldOf(harness, forged);
    expect(told_).toEqual(Object.fromEntries(Object.keys(forgeries()).map((name) => [name, UNVOUCHED])));
    expect(await toldOf(harness, created.id)).toEqual(told('RUNNING'));
    expect(await toldOf(harness, restored.id)).toEqual(told('RUNNING'));
  });

  it("once it has ended: NOT_FOUND, not the other operation's SUCCEEDED or FAILED; the own create and restore read SUCCEEDED", async () => {
    finishAll(harness);
    const told_: Record<string, unknown> = {};
    for (const [name, forged] of Object.entries(forgeries())) told_[name] = await toldOf(harness, forged);
    expect(told_).toEqual(Object.fromEntries(Object.keys(forgeries()).map((name) => [name, UNVOUCHED])));
    expect(await toldOf(harness, created.id)).toEqual(told('SUCCEEDED'));
    expect(await toldOf(harness, restored.id)).toEqual(told('SUCCEEDED'));
  });
});

/**
 * What ZStack's answer does say: a finished create's job answers `inventories` (CreateVmBackup's
 * result), a finished revert's `{"success": true}`. A create read from a revert's job, or a
 * restore from a create's, is no such operation whatever the record holds (a record written for
 * the id here, as no mutation would): the create's `inventories` were taken for the restore's
 * backup.
 */
describe("zstack: a create or restore id around a finished job of the other kind", () => {
  let harness: Harness;
  const store = new NamedMemoryStore();
  let createAroundRevert: string;
  let restoreAroundCreate: string;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], store, configure: withProviderSettings({ cacheTtlMs: 0 }) });
    (harness.simulator('zstack').simulator as ZstackSimulator).asyncDelayMs = 600_000;
    const nodes = await dashboardNodes(harness);
    const [restoreVm, createVm] = nodes.filter((node) => available(node).length > 0) as [DashboardNode, DashboardNode];
    const created = await mutate(harness, CREATE, { instanceId: createVm.id, name: 'made-first' });
    const restored = await mutate(harness, RESTORE, { backupId: available(restoreVm)[0]!.id, confirm: true });
    (harness.simulator('zstack').simulator as ZstackSimulator).finishJobs();
    createAroundRevert = await recordedAsStarted(store, around(created.ref, restored.ref));
    restoreAroundCreate = await recordedAsStarted(store, around(restored.ref, created.ref));
  });
  afterAll(() => harness.close());

  it("a create read from a revert's job is NOT_FOUND", async () => {
    expect(errorCodes(await harness.gql(OPERATION, { id: createAroundRevert }))).toEqual(['NOT_FOUND']);
  });

  it("a restore read from a create's job is NOT_FOUND, not SUCCEEDED naming the created backup", async () => {
    expect(errorCodes(await harness.gql(OPERATION, { id: restoreAroundCreate }))).toEqual(['NOT_FOUND']);
  });
});
