import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

type Kind = 'onapp' | 'zomro' | 'danube';
type Listed = { id: string; nativeId: string; status: string; instance: { id: string; nativeId: string } | null };
const LIST = '{ backups(first: 500) { edges { node { id nativeId status instance { id nativeId } } } } }';
const ONE_VM = 'query($id: ID!) { instance(id: $id) { backups { id } } }';
const BY_ID = 'query($id: ID!) { backup(id: $id) { id status } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';

/** Takes a backup away at the provider, as its own panel or rotation does, behind the gateway's read cache. */
function removeAtProvider(harness: Harness, kind: Kind, backup: Listed): void {
  if (kind === 'danube') {
    const backups = (harness.simulator('danube').simulator as DanubeSimulator).backups;
    // Backup names repeat across VMs: the one of this backup's VM, or the first of the name went
    // and this one stayed (its write then found it, and the case passed on another VM's backup).
    const index = backups.findIndex((row) => row.name === backup.nativeId && row.hostname === backup.instance!.nativeId);
    expect(index).toBeGreaterThanOrEqual(0);
    backups.splice(index, 1);
    return;
  }
  const backups = (harness.simulator(kind).simulator as OnappSimulator | ZomroSimulator).backups as Map<unknown, unknown>;
  for (const key of [...backups.keys()]) if (String(key) === backup.nativeId) backups.delete(key);
}

/**
 * A backup listed from the read cache, then deleted at the provider (its panel, a rotation), then
 * deleted (or restored) through the gateway: the provider answers the write "not found", and the
 * client is told NOT_FOUND. The cached lists still showed that backup AVAILABLE, in every list and
 * read by its id, until cacheTtlMs ran out: the client was told it is gone and shown it is there.
 * A write the provider answered NOT_FOUND now drops the instance's cached reads, as a write it took does.
 */
describe.each(['onapp', 'zomro', 'danube'] as const)('%s: a write on a backup gone since the cached list', (kind) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: [kind], configure: withProviderSettings({ cacheTtlMs: 600_000 }) });
  });
  afterAll(() => harness.close());
  /** Backups an earlier case took away: on code that keeps a gone backup cached it is still listed, and must not be picked again. */
  const taken = new Set<string>();
  /** An AVAILABLE backup no earlier case took away, taken away at the provider now. */
  const removedAtProvider = async (): Promise<Listed> => {
    const backup = (await listed()).find((item) => item.status === 'AVAILABLE' && item.instance !== null && !taken.has(item.id))!;
    taken.add(backup.id);
    removeAtProvider(harness, kind, backup);
    return backup;
  };

  const listed = async (): Promise<Listed[]> => {
    const answer = await harness.gql<{ backups: { edges: Array<{ node: Listed }> } }>(LIST);
    expect(answer.errors).toBeUndefined();
    return answer.data!.backups.edges.map((edge) => edge.node);
  };

  const expectGoneEverywhere = async (backup: Listed): Promise<void> => {
    expect((await listed()).map((item) => item.id)).not.toContain(backup.id);
    const one = await harness.gql<{ instance: { backups: Array<{ id: string }> } }>(ONE_VM, { id: backup.instance!.id });
    expect(one.errors).toBeUndefined();
    expect(one.data!.instance.backups.map((item) => item.id)).not.toContain(backup.id);
    const byId = await harness.gql<{ backup: unknown }>(BY_ID, { id: backup.id });
    expect(byId.data?.backup ?? null).toBeNull();
  };

  it('delete: NOT_FOUND, and the backup is no longer listed from the cache', async () => {
    const backup = await removedAtProvider();
    expect((await listed()).map((item) => item.id)).toContain(backup.id);
    const answer = await harness.gql(DELETE, { input: { backupId: backup.id } });
    expect(errorCodes(answer)).toEqual(['NOT_FOUND']);
    await expectGoneEverywhere(backup);
  });

  it('restore: NOT_FOUND, and the backup is no longer listed from the cache', async () => {
    // OnApp's restore looks for a backup only it can refuse after a read of the VM's transactions; any gone backup will do.
    const backup = await removedAtProvider();
    const answer = await harness.gql(RESTORE, { input: { backupId: backup.id, confirm: true, force: true } });
    expect(errorCodes(answer)).toEqual(['NOT_FOUND']);
    await expectGoneEverywhere(backup);
  });
});

type Owned = { id: string; nativeId: string };
const SCHEDULES = '{ instances(first: 100) { edges { node { id schedules { id nativeId } definitions { id nativeId } } } } }';
const DELETE_SCHEDULE = 'mutation($input: DeleteBackupScheduleInput!) { deleteBackupSchedule(input: $input) { deletedId } }';
const DELETE_DEFINITION = 'mutation($input: DeleteBackupDefinitionInput!) { deleteBackupDefinition(input: $input) { deletedId } }';

/** The same for a schedule (Zomro, OnApp) or a Danube definition deleted at the provider since it was listed. */
describe.each([
  ['zomro', 'schedule'],
  ['onapp', 'schedule'],
  ['danube', 'definition'],
] as const)('%s: a delete of a %s gone since the cached list', (kind, what) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: [kind], configure: withProviderSettings({ cacheTtlMs: 600_000 }) });
  });
  afterAll(() => harness.close());

  const owned = async (): Promise<Array<Owned & { instanceId: string }>> => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string; schedules: Owned[]; definitions: Owned[] } }> } }>(SCHEDULES);
    expect(answer.errors).toBeUndefined();
    return answer.data!.instances.edges.flatMap(({ node }) => (what === 'schedule' ? node.schedules : node.definitions).map((item) => ({ ...item, instanceId: node.id })));
  };

  it('is NOT_FOUND, and no longer listed from the cache', async () => {
    const item = (await owned())[0]!;
    const simulator = harness.simulator(kind).simulator;
    if (kind === 'danube') {
      const definitions = (simulator as DanubeSimulator).definitions;
      const hostname = (simulator as DanubeSimulator).vms.find((vm) => definitions.some((row) => row.hostname === vm.hostname && row.name === item.nativeId));
      definitions.splice(definitions.findIndex((row) => row.hostname === hostname?.hostname && row.name === item.nativeId), 1);
    } else {
      const schedules = (simulator as OnappSimulator | ZomroSimulator).schedules as Map<unknown, unknown>;
      for (const key of [...schedules.keys()]) if (String(key) === item.nativeId) schedules.delete(key);
    }
    expect((await owned()).map((listed) => listed.id)).toContain(item.id);
    const answer = what === 'schedule' ? await harness.gql(DELETE_SCHEDULE, { input: { scheduleId: item.id } }) : await harness.gql(DELETE_DEFINITION, { input: { definitionId: item.id } });
    expect(errorCodes(answer)).toEqual(['NOT_FOUND']);
    expect((await owned()).map((listed) => listed.id)).not.toContain(item.id);
  });
});

/**
 * A write the provider refuses otherwise (CONFLICT: the target VM locked) drops nothing: only a
 * NOT_FOUND says a listed row went, so a client cannot empty the cache, here and on every
 * replica, with writes it knows will be refused.
 */
describe('danube: a write refused other than NOT_FOUND', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 600_000 }) });
  });
  afterAll(() => harness.close());

  it('keeps the instance cached: a backup gone at the provider meanwhile is still listed from the cache', async () => {
    const answer = await harness.gql<{ backups: { edges: Array<{ node: Listed & { instance: { id: string; nativeId: string } } }> } }>(
      '{ backups(first: 500) { edges { node { id nativeId status instance { id nativeId } } } } }',
    );
    const rows = answer.data!.backups.edges.map((edge) => edge.node).filter((row) => row.status === 'AVAILABLE' && row.instance !== null);
    const restored = rows.find((row) => rows.some((other) => other !== row && other.instance.id === row.instance.id))!;
    const gone = rows.find((row) => row !== restored && row.instance.id === restored.instance.id)!;
    const simulator = harness.simulator('danube').simulator as DanubeSimulator;
    const vm = simulator.vms.find((row) => row.hostname === restored.instance.nativeId)!;
    vm.status = 'stopped';
    simulator.setVmLocked(restored.instance.nativeId, true);
    // Backup names repeat across VMs: the one of this VM.
    simulator.backups.splice(simulator.backups.findIndex((row) => row.name === gone.nativeId && row.hostname === restored.instance.nativeId), 1);
    const refused = await harness.gql(RESTORE, { input: { backupId: restored.id, confirm: true } });
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    const one = await harness.gql<{ instance: { backups: Array<{ id: string }> } }>(ONE_VM, { id: restored.instance.id });
    expect(one.data!.instance.backups.map((item) => item.id)).toContain(gone.id);
  });
});
