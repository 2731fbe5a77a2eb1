import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * OnApp schedules carry a `status`, "enabled" unless switched off. A disabled
 * schedule runs nothing: it must neither keep an instance PROTECTED nor
 * promise a first backup, and it has no next run.
 */

interface Node {
  id: string;
  nativeId: string;
  schedules: Array<{ nativeId: string; nextRunAt: string | null }>;
  protection: { status: string; reason: string; nextRunAt: string | null; scheduled: boolean | null };
}
const INSTANCES = '{ instances { edges { node { id nativeId schedules { nativeId nextRunAt } protection { status reason nextRunAt scheduled } } } } }';

describe('onapp disabled schedules and protection', () => {
  let harness: Harness;
  let simulator: OnappSimulator;

  const nodes = async (): Promise<Node[]> => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    return answer.data!.instances.edges.map((edge) => edge.node);
  };
  const schedulesOfVm = (vmId: number) => {
    const disks = new Set(simulator.vms.get(vmId)!.disks.map((disk) => disk.id));
    return [...simulator.schedules.values()].filter((schedule) => disks.has(schedule.diskId));
  };

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ timezone: 'UTC', cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  it('a recent backup beside a disabled schedule only is STALE (nothing will make the next), and the schedule has no next run', async () => {
    // The seed's sixth VM has a backup an hour old and a daily schedule: PROTECTED.
    const before = (await nodes()).find((node) => node.nativeId === '485')!;
    expect(before.protection).toMatchObject({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED', scheduled: true });
    for (const schedule of schedulesOfVm(485)) schedule.status = 'disabled';

    const after = (await nodes()).find((node) => node.nativeId === '485')!;
    expect(after.protection).toEqual({ status: 'STALE', reason: 'RECENT_BACKUP_NOTHING_SCHEDULED', nextRunAt: null, scheduled: false });
    expect(after.schedules.length).toBeGreaterThan(0);
    for (const schedule of after.schedules) expect(schedule.nextRunAt).toBeNull();
  });

  it('no backup and a disabled schedule only is UNPROTECTED, not STALE waiting for a first backup that never comes', async () => {
    // The seed's first VM has no backup and no schedule.
    const vm = simulator.vms.get(480)!;
    const id = 9_480;
    simulator.schedules.set(id, { id, diskId: vm.disks[0]!.id, duration: 1, period: 'days', rotation_period: 7, start_at: '2024-01-01T03:30:00Z', created_at: '2024-01-01T00:00:00Z', status: 'disabled' });
    const node = (await nodes()).find((item) => item.nativeId === '480')!;
    expect(node.protection).toEqual({ status: 'UNPROTECTED', reason: 'NO_BACKUP_NOTHING_SCHEDULED', nextRunAt: null, scheduled: false });

    simulator.schedules.get(id)!.status = 'enabled';
    const enabled = (await nodes()).find((item) => item.nativeId === '480')!;
    expect(enabled.protection).toMatchObject({ status: 'STALE', reason: 'NO_BACKUP_YET', scheduled: true });
    expect(enabled.protection.nextRunAt).not.toBeNull();
  });
});
