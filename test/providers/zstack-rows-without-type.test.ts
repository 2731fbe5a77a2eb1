import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const VIEW = '{ instances(first: 100) { edges { node { id nativeId backups { nativeId name note createdAt sizeBytes status } } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const POLL = 'query($id: ID!) { operation(id: $id) { status error backup { nativeId name } } }';

interface Shown {
  id: string;
  nativeId: string;
  backups: Array<{ nativeId: string; name: string; note: string | null; createdAt: string | null; sizeBytes: number | null; status: string }>;
}

/**
 * The API docs list `type` ("Disk type") among a volume backup's fields, yet CreateVmBackup's
 * example answer carries none (nor `vmInstanceUuid`). A group's root row was the one typed Root,
 * else the first row: with every query sorted by uuid, a group whose data volume's row came first
 * was named by its data volume, and a create whose job expired, found by its name, was never found.
 */
describe('zstack: volume-backup rows without type', () => {
  let harness: Harness;
  const zstack = () => harness.simulator('zstack').simulator as ZstackSimulator;
  const view = async (): Promise<Shown[]> => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Shown }> } }>(VIEW);
    expect(answer.errors).toBeUndefined();
    return answer.data!.instances.edges.map((edge) => edge.node);
  };
  /** Every data volume's row sorts before its group's root row (`sort=+uuid`), as a random uuid does half the time. */
  const dataRowsFirst = (): void => {
    for (const row of zstack().volumeBackups) row.uuid = `${row.type === 'Root' ? 'f' : '0'}${String(row.uuid).slice(1)}`;
  };

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
  });
  afterAll(() => harness.close());

  it('names, dates and describes each VM backup by its root volume, as when rows are typed (it showed the data volume\'s name)', async () => {
    dataRowsFirst();
    zstack().omitsVolumeType = false;
    const typed = await view();
    const backups = typed.flatMap((vm) => vm.backups);
    expect(backups.length).toBeGreaterThanOrEqual(10);
    expect(backups.every((backup) => !backup.name.endsWith('-data'))).toBe(true);

    zstack().omitsVolumeType = true;
    expect(await view()).toEqual(typed);
    // The docs' example carries neither field: the VM is then told by its root volume as well.
    zstack().omitsVmInstanceUuid = true;
    expect(await view()).toEqual(typed);
  });

  it('finds a create whose job expired unread by the name its root volume carries (it read FAILED "check the backups")', async () => {
    const simulator = zstack();
    simulator.omitsVolumeType = true;
    simulator.omitsVmInstanceUuid = true;
    // A node that ignores resourceUuid: the create's backup is found by its name alone.
    simulator.resourceUuidTakenBy = 'nothing';
    simulator.asyncDelayMs = 60_000;
    const instanceId = (await view()).find((vm) => vm.backups.length > 0)!.id;
    const answer = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId, name: 'typeless-1' } });
    expect(answer.errors).toBeUndefined();
    dataRowsFirst();
    simulator.expireJobs();
    const made = simulator.volumeBackups.find((row) => row.name === 'typeless-1')!;
    const poll = await harness.gql<{ operation: { status: string; error: string | null; backup: { nativeId: string; name: string } | null } }>(POLL, { id: answer.data!.createBackup.operation.id });
    expect(poll.errors).toBeUndefined();
    expect(poll.data?.operation).toEqual({ status: 'SUCCEEDED', error: null, backup: { nativeId: made.groupUuid, name: 'typeless-1' } });
  });
});
