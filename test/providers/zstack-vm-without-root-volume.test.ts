import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const LIST = '{ instances(first: 100) { edges { node { id nativeId } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';
const POLL = 'query($id: ID!) { operation(id: $id) { status backup { name } } }';
const ONE = 'query($id: ID!) { instance(id: $id) { nativeId backups { nativeId name sizeBytes status } protection { status usableBackups } } }';

interface Shown {
  nativeId: string;
  backups: Array<{ nativeId: string; name: string; sizeBytes: number | null; status: string }>;
  protection: { status: string; usableBackups: number };
}

/**
 * Backups are asked by the VMs' volumes, read from the node's own VM rows. A row naming no root
 * volume the gateway can read (no `rootVolumeUuid`, none of `allVolumes` typed Root, or one that is
 * no ZStack uuid) left its VM asked by its data volumes alone, or by nothing: its backups, which
 * name it by `vmInstanceUuid`, were never asked for, a false UNPROTECTED, or a backup shown as its
 * data volume alone (that volume's name and size).
 */
describe("zstack: a VM row naming no readable root volume still has its backups asked for", () => {
  let harness: Harness;
  const zstack = () => harness.simulator('zstack').simulator as ZstackSimulator;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
  });
  afterAll(() => harness.close());

  const protectedVm = async (): Promise<{ id: string; shown: Shown }> => {
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>(LIST);
    expect(listed.errors).toBeUndefined();
    for (const { node } of listed.data!.instances.edges) {
      const read = await harness.gql<{ instance: Shown }>(ONE, { id: node.id });
      if (read.data?.instance.protection.status === 'PROTECTED') return { id: node.id, shown: read.data.instance };
    }
    throw new Error('the simulator seeds a PROTECTED VM');
  };

  /** The VM read again with its row changed by `change`, then put back. */
  async function readWith(id: string, nativeId: string, change: (row: Record<string, unknown>) => void): Promise<Shown> {
    const row = zstack().vms.find((each) => each.uuid === nativeId)!;
    const saved = { ...row };
    change(row);
    try {
      const read = await harness.gql<{ instance: Shown }>(ONE, { id });
      expect(read.errors).toBeUndefined();
      return read.data!.instance;
    } finally {
      for (const key of Object.keys(row)) delete row[key];
      Object.assign(row, saved);
    }
  }

  it('lists the backups of a VM whose row lists no volumes at all (it showed none, UNPROTECTED)', async () => {
    const { id, shown } = await protectedVm();
    expect(shown.backups.length).toBeGreaterThan(0);
    const read = await readWith(id, shown.nativeId, (row) => {
      delete row.rootVolumeUuid;
      delete row.allVolumes;
    });
    expect(read).toEqual(shown);
  });

  it('lists whole backups of a VM whose row lists its data volume but no root volume (each read as its data volume alone)', async () => {
    const { id, shown } = await protectedVm();
    const read = await readWith(id, shown.nativeId, (row) => {
      delete row.rootVolumeUuid;
      row.allVolumes = (row.allVolumes as Array<{ type: string }>).filter((volume) => volume.type !== 'Root');
    });
    expect(read).toEqual(shown);
  });

  it('lists the backups of a VM whose root volume uuid is no ZStack uuid', async () => {
    const { id, shown } = await protectedVm();
    const read = await readWith(id, shown.nativeId, (row) => {
      row.rootVolumeUuid = `${String(row.rootVolumeUuid).toUpperCase()}`;
      row.allVolumes = (row.allVolumes as Array<{ type: string }>).filter((volume) => volume.type !== 'Root');
    });
    expect(read).toEqual(shown);
  });

  it('backs up a VM whose row names its root volume in allVolumes alone, the volume the list reads its backups by (it was BAD_USER_INPUT "the VM has no root volume")', async () => {
    const { id, shown } = await protectedVm();
    const row = zstack().vms.find((each) => each.uuid === shown.nativeId)!;
    const saved = row.rootVolumeUuid;
    row.rootVolumeUuid = '';
    try {
      const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: id, name: 'root-in-all-volumes' } });
      expect(created.errors).toBeUndefined();
      zstack().finishJobs();
      const poll = await harness.gql<{ operation: { status: string; backup: { name: string } | null } }>(POLL, { id: created.data!.createBackup.operation.id });
      expect(poll.data?.operation).toEqual({ status: 'SUCCEEDED', backup: { name: 'root-in-all-volumes' } });
      const made = zstack().volumeBackups.filter((volume) => String(volume.name).startsWith('root-in-all-volumes'));
      expect(made.find((volume) => volume.type === 'Root')?.volumeUuid).toBe(saved);
    } finally {
      row.rootVolumeUuid = saved;
    }
  });

  it("finds the root volume in allVolumes when rootVolumeUuid is no ZStack uuid, for rows that name no VM", async () => {
    const { id, shown } = await protectedVm();
    zstack().omitsVmInstanceUuid = true;
    try {
      const read = await readWith(id, shown.nativeId, (row) => {
        row.rootVolumeUuid = '';
      });
      expect(read).toEqual(shown);
    } finally {
      zstack().omitsVmInstanceUuid = false;
    }
  });

  it('names each backup by its root volume where the rows carry no type and the VM row names its root in allVolumes alone (guard)', async () => {
    const { id, shown } = await protectedVm();
    expect(shown.backups.length).toBeGreaterThan(0);
    expect(shown.backups.every((backup) => !backup.name.endsWith('-data'))).toBe(true);
    const simulator = zstack();
    // Each data volume's row sorts before its group's root row (`sort=+uuid`): the first row is no root.
    for (const row of simulator.volumeBackups) row.uuid = `${row.type === 'Root' ? 'f' : '0'}${String(row.uuid).slice(1)}`;
    simulator.omitsVolumeType = true;
    simulator.omitsVmInstanceUuid = true;
    try {
      const read = await readWith(id, shown.nativeId, (row) => {
        row.rootVolumeUuid = '';
      });
      expect(read).toEqual(shown);
    } finally {
      simulator.omitsVolumeType = false;
      simulator.omitsVmInstanceUuid = false;
    }
  });
});
