import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ONAPP_SIM_API_KEY, ONAPP_SIM_USER, type OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * An OnApp schedule protects its disk only while OnApp takes and keeps its
 * backups: the disk's auto-backups on (`has_autobackups`, switched by
 * `autobackup_enable.json` / `autobackup_disable.json`; a disk switched off
 * keeps its schedule, which takes nothing) and a `rotation_period` keeping
 * at least one backup ("the number of backups after which the first backup
 * will be deleted": 0 keeps none). Read as running, either kept an instance
 * PROTECTED with nothing to renew its backup.
 */

interface Node {
  nativeId: string;
  schedules: Array<{ nativeId: string; nextRunAt: string | null }>;
  protection: { status: string; reason: string; nextRunAt: string | null; scheduled: boolean | null };
}
const INSTANCES = '{ instances { edges { node { nativeId schedules { nativeId nextRunAt } protection { status reason nextRunAt scheduled } } } } }';
const INSTANCE = 'query($id: ID!) { instance(id: $id) { nativeId schedules { nativeId nextRunAt } protection { status reason nextRunAt scheduled } } }';
/** The seed's sixth VM: a backup an hour old and a schedule of its primary disk, PROTECTED. */
const VM = 485;

describe('onapp: disks without auto-backups and schedules keeping nothing, in the protection view', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  let instanceId: string;

  /** Read by both disk lists: the account's (several VMs) and the VM's own (one instance). */
  const views = async (): Promise<Node[]> => {
    const [all, one] = await Promise.all([
      harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(INSTANCES),
      harness.gql<{ instance: Node }>(INSTANCE, { id: instanceId }),
    ]);
    expect(all.errors).toBeUndefined();
    expect(one.errors).toBeUndefined();
    return [all.data!.instances.edges.map((edge) => edge.node).find((node) => node.nativeId === String(VM))!, one.data!.instance];
  };
  /** As an operator switches it in the panel: OnApp's own endpoint. */
  const switchAutobackups = async (diskId: number, on: boolean): Promise<void> => {
    const response = await fetch(`${harness.simulator('onapp').server.url}/settings/disks/${diskId}/autobackup_${on ? 'enable' : 'disable'}.json`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${ONAPP_SIM_USER}:${ONAPP_SIM_API_KEY}`).toString('base64')}`, accept: 'application/json' },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { disk: { has_autobackups: boolean } }).disk.has_autobackups).toBe(on);
  };
  const primaryDisk = (): number => simulator.vms.get(VM)!.disks.find((disk) => disk.primary)!.id;
  const schedulesOfVm = () => [...simulator.schedules.values()].filter((schedule) => schedule.diskId === primaryDisk());

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ timezone: 'UTC', cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>('{ instances { edges { node { id nativeId } } } }');
    instanceId = listed.data!.instances.edges.find((edge) => edge.node.nativeId === String(VM))!.node.id;
  });
  afterAll(() => harness.close());

  it('a disk whose auto-backups are switched off: its schedule stays and runs nothing, so a recent backup is STALE; switched on again, PROTECTED', async () => {
    for (const node of await views()) expect(node.protection).toMatchObject({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED', scheduled: true });
    await switchAutobackups(primaryDisk(), false);
    for (const node of await views()) {
      expect(node.protection).toEqual({ status: 'STALE', reason: 'RECENT_BACKUP_NOTHING_SCHEDULED', nextRunAt: null, scheduled: false });
      expect(node.schedules.length).toBeGreaterThan(0);
      for (const schedule of node.schedules) expect(schedule.nextRunAt).toBeNull();
    }
    await switchAutobackups(primaryDisk(), true);
    for (const node of await views()) expect(node.protection).toMatchObject({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED', scheduled: true });
  });

  it.each([
    ['0', 0],
    ['"0" as text', '0'],
    ['a word', 'never'],
  ])('a schedule whose rotation_period is %s keeps no backup: STALE, no next run', async (_name, rotation) => {
    const schedules = schedulesOfVm();
    expect(schedules.length).toBeGreaterThan(0);
    // The simulator's record is typed as OnApp documents it; a panel may send text.
    for (const schedule of schedules) Object.assign(schedule, { rotation_period: rotation });
    try {
      for (const node of await views()) {
        expect(node.protection).toEqual({ status: 'STALE', reason: 'RECENT_BACKUP_NOTHING_SCHEDULED', nextRunAt: null, scheduled: false });
        for (const schedule of node.schedules) expect(schedule.nextRunAt).toBeNull();
      }
    } finally {
      for (const schedule of schedules) schedule.rotation_period = 7;
    }
    for (const node of await views()) expect(node.protection).toMatchObject({ status: 'PROTECTED', scheduled: true });
  });
});
