import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * Guards: lists longer than one of the gateway's pages (100 rows, `p_cnt`) at a panel that pages
 * as asked, with no cap of its own. BILLmanager pages every list func with `p_cnt` (page size),
 * `p_num` (page number) and `p_col` (sort column), the count in `p_elems` (providers.md); the
 * gateway sends `p_cnt`/`p_num`, no `p_col` (no document shows its values). Every instance,
 * backup and schedule is listed once, with the count and without it.
 */

const INSTANCES = '{ instances(first: 1000) { totalCount edges { node { id nativeId } } } }';
const ONE = 'query($id: ID!) { instance(id: $id) { backups { nativeId } schedules { nativeId } } }';
const EXTRA_INSTANCES = 130;
const BACKUPS = 250;
const SCHEDULES = 130;

describe('zomro: lists longer than a page', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let plid: string;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    for (let index = 0; index < EXTRA_INSTANCES; index++) {
      const id = String(7_000_000 + index);
      simulator.instances.set(id, { id, servername: `long-${index}.zomro.example`, instance_status: 'active', datacentername: 'Poland-1', createdate: '2024-07-01', ip: `10.0.${index}.1`, rebuildUntil: 0 });
    }
    plid = '7000000';
    for (let n = 0; n < BACKUPS; n++) {
      const id = String(8_000_000 + n);
      simulator.backups.set(id, { id, instanceId: plid, name: `long-${n}`, fleio_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, createdate: '2024-07-10', image_size: '2', min_disk: '20', min_ram: '0', os: ['Ubuntu', '22.04 x64'], protected: 'off', backup_type: n % 2 === 0 ? 'manual' : 'schedule', region: 'Poland-1', readyAt: 0 });
    }
    for (let n = 0; n < SCHEDULES; n++) {
      const id = String(9_000_000 + n);
      simulator.schedules.set(id, { id, instanceId: plid, name: `long-${n}`, rotation_days: 'Monday ', rotation_time: '02:01', create_date: '2024-07-24' });
    }
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    simulator.countsLists = true;
    harness.resetUpstreamLogs();
  });

  const pagesOf = (func: string) => harness.simulator('zomro').server.log.filter((request) => request.label === func).map((request) => `${request.form.p_num}/${request.form.p_cnt}`).sort();

  async function read(): Promise<{ instances: string[]; backups: string[]; schedules: string[] }> {
    const listed = await harness.gql<{ instances: { totalCount: number; edges: Array<{ node: { id: string; nativeId: string } }> } }>(INSTANCES);
    expect(listed.errors).toBeUndefined();
    const node = listed.data!.instances.edges.find((edge) => edge.node.nativeId === plid)!.node;
    const one = await harness.gql<{ instance: { backups: Array<{ nativeId: string }>; schedules: Array<{ nativeId: string }> } }>(ONE, { id: node.id });
    expect(one.errors).toBeUndefined();
    return {
      instances: listed.data!.instances.edges.map((edge) => edge.node.nativeId),
      backups: one.data!.instance.backups.map((backup) => backup.nativeId),
      schedules: one.data!.instance.schedules.map((schedule) => schedule.nativeId),
    };
  }

  const sorted = (ids: Iterable<string>) => [...ids].sort();

  it('with the count (p_elems): every row once, the pages after the first read at 100 rows each', async () => {
    const { instances, backups, schedules } = await read();
    expect(sorted(instances)).toEqual(sorted(simulator.instances.keys()));
    expect(sorted(backups)).toEqual(sorted([...simulator.backups.values()].filter((backup) => backup.instanceId === plid).map((backup) => backup.id)));
    expect(backups).toHaveLength(BACKUPS);
    expect(schedules).toHaveLength(SCHEDULES);
    expect(pagesOf('instances.fleio_bckps')).toEqual(['1/100', '2/100', '3/100']);
    expect(pagesOf('instances.fleio_bckps.schedule')).toEqual(['1/100', '2/100']);
    expect(pagesOf('instances').length).toBeGreaterThanOrEqual(2);
  });

  it('without a count: pages read while they come back full, every row once', async () => {
    simulator.countsLists = false;
    const { instances, backups, schedules } = await read();
    expect(sorted(instances)).toEqual(sorted(simulator.instances.keys()));
    expect(new Set(backups).size).toBe(BACKUPS);
    expect(backups).toHaveLength(BACKUPS);
    expect(schedules).toHaveLength(SCHEDULES);
    // 100 + 100 + 50: the short third page ends the list.
    expect(pagesOf('instances.fleio_bckps')).toEqual(['1/100', '2/100', '3/100']);
    // 100 + 30.
    expect(pagesOf('instances.fleio_bckps.schedule')).toEqual(['1/100', '2/100']);
  });
});
