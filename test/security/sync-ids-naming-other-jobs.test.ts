import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operationId } from '../../src/gateway/ids.js';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { dashboardNodes, type DashboardNode } from '../helpers/dashboard.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { NamedMemoryStore } from '../helpers/named-memory-store.js';
import { told, toldOf, UNVOUCHED } from '../helpers/operation-told.js';
import { around, mutate, type Started } from '../helpers/started-by-mutation.js';
import { recordedAsStarted } from '../helpers/started-record.js';

/**
 * A sync's operation id names its job and nothing else (no VM, no backup, not even its image
 * store), and a client can write one around the job of any other operation, known from that
 * operation's id: read by that job, it told the other operation's status as the sync's, RUNNING
 * while it ran, then SUCCEEDED or FAILED. A sync's answer, `{}`, names nothing, so its read is
 * told only for a sync the gateway recorded starting. Danube has no sync: an id of that kind
 * written around a task read the task's status all the same.
 */

const OPERATION = 'query($id: ID!) { operation(id: $id) { status } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';
const SYNC = 'mutation($input: SyncBackupsInput!) { syncBackups(input: $input) { operation { id status } } }';

type Backup = DashboardNode['backups'][number];

const available = (node: DashboardNode): Backup[] => node.backups.filter((backup) => backup.status === 'AVAILABLE' && !backup.protected);

/** Every sync id a client can write around the jobs of `others`, by the operation's name. */
const syncsAround = (synced: Started, others: Record<string, Started>): Record<string, string> =>
  Object.fromEntries(Object.entries(others).map(([name, other]) => [`a sync around ${name}`, around(synced.ref, other.ref)]));

async function toldOfEach(harness: Harness, ids: Record<string, string>): Promise<Record<string, unknown>> {
  const told_: Record<string, unknown> = {};
  for (const [name, id] of Object.entries(ids)) told_[name] = await toldOf(harness, id);
  return told_;
}

const unvouchedEach = (ids: Record<string, string>): Record<string, unknown> => Object.fromEntries(Object.keys(ids).map((name) => [name, UNVOUCHED]));

describe('zstack: a sync operation id naming the job of another operation', () => {
  let harness: Harness;
  let synced: Started;
  let forgeries: Record<string, string>;

  beforeAll(async () => {
    // No read cache: each read asks the provider's list as it is then.
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    // Jobs run until a test ends them.
    (harness.simulator('zstack').simulator as ZstackSimulator).asyncDelayMs = 600_000;
    const [restoreVm, createVm] = (await dashboardNodes(harness)).filter((node) => available(node).length > 0) as [DashboardNode, DashboardNode];
    const others = {
      'a create': await mutate(harness, CREATE, { instanceId: createVm.id, name: 'other-job' }),
      'a delete': await mutate(harness, DELETE, { backupId: available(createVm)[0]!.id }),
      'a restore': await mutate(harness, RESTORE, { backupId: available(restoreVm)[0]!.id, confirm: true }),
    };
    synced = await mutate(harness, SYNC, { providerId: harness.providerId('zstack') });
    forgeries = syncsAround(synced, others);
  });
  afterAll(() => harness.close());

  it('while the other job runs: NOT_FOUND by operation and subscription, null by node, not RUNNING; the own sync reads RUNNING', async () => {
    expect(await toldOfEach(harness, forgeries)).toEqual(unvouchedEach(forgeries));
    expect(await toldOf(harness, synced.id)).toEqual(told('RUNNING'));
  });

  it("once it has ended: NOT_FOUND, not the other operation's SUCCEEDED; the own sync reads SUCCEEDED", async () => {
    (harness.simulator('zstack').simulator as ZstackSimulator).finishJobs();
    expect(await toldOfEach(harness, forgeries)).toEqual(unvouchedEach(forgeries));
    expect(await toldOf(harness, synced.id)).toEqual(told('SUCCEEDED'));
  });
});

/**
 * What ZStack's answer does say: a finished create's job answers `inventories`, a finished
 * revert's `{"success": true}`, a sync's `{}`. A sync read from a create's or a revert's job is no
 * sync whatever the record holds (one written for the id here, as no mutation would).
 */
describe('zstack: a sync id around a finished job of another kind', () => {
  let harness: Harness;
  const store = new NamedMemoryStore();
  let aroundCreate: string;
  let aroundRevert: string;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], store, configure: withProviderSettings({ cacheTtlMs: 0 }) });
    const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.asyncDelayMs = 600_000;
    const [restoreVm, createVm] = (await dashboardNodes(harness)).filter((node) => available(node).length > 0) as [DashboardNode, DashboardNode];
    const created = await mutate(harness, CREATE, { instanceId: createVm.id, name: 'made-first' });
    const restored = await mutate(harness, RESTORE, { backupId: available(restoreVm)[0]!.id, confirm: true });
    const synced = await mutate(harness, SYNC, { providerId: harness.providerId('zstack') });
    simulator.finishJobs();
    aroundCreate = await recordedAsStarted(store, around(synced.ref, created.ref));
    aroundRevert = await recordedAsStarted(store, around(synced.ref, restored.ref));
  });
  afterAll(() => harness.close());

  it("a sync read from a create's job is NOT_FOUND, not SUCCEEDED", async () => {
    expect(errorCodes(await harness.gql(OPERATION, { id: aroundCreate }))).toEqual(['NOT_FOUND']);
  });

  it("a sync read from a revert's job is NOT_FOUND, not SUCCEEDED", async () => {
    expect(errorCodes(await harness.gql(OPERATION, { id: aroundRevert }))).toEqual(['NOT_FOUND']);
  });
});

describe('danube: a sync operation id (Danube has none) naming the task of another operation', () => {
  let harness: Harness;
  let forgery: Record<string, string>;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    (harness.simulator('danube').simulator as DanubeSimulator).asyncDelayMs = 600_000;
    const createVm = (await dashboardNodes(harness)).find((node) => node.definitions.some((definition) => definition.name === 'daily'));
    if (!createVm) throw new Error('the danube simulator shows no VM with a daily definition');
    const created = await mutate(harness, CREATE, { instanceId: createVm.id, name: 'other-task', definitionName: 'daily' });
    forgery = { 'a sync around a create': operationId({ ...created.ref, kind: 'SYNC_BACKUPS', backupNativeId: null }) };
  });
  afterAll(() => harness.close());

  it('while the task runs: NOT_FOUND by operation and subscription, null by node, not RUNNING', async () => {
    expect(await toldOfEach(harness, forgery)).toEqual(unvouchedEach(forgery));
  });

  it("once it has ended: NOT_FOUND, not the create's SUCCEEDED", async () => {
    for (const task of (harness.simulator('danube').simulator as DanubeSimulator).tasks.values()) task.doneAt = 0;
    expect(await toldOfEach(harness, forgery)).toEqual(unvouchedEach(forgery));
  });
});
