import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const PLAIN = 'query($first: Int!, $after: String) { instances(first: $first, after: $after) { edges { cursor node { nativeId } } } }';
/** Every simulated VM is running or stopped: the state filter's cursors (protection-pages.ts) over the same rows. */
const FILTERED = 'query($first: Int!, $after: String) { instances(first: $first, after: $after, filter: { status: [RUNNING, STOPPED] }) { edges { cursor node { nativeId } } } }';
type Page = { instances: { edges: Array<{ cursor: string; node: { nativeId: string } }> } };

/**
 * A cursor whose item is gone resumed at the item's old place among its account's rows. Where rows
 * of that account before it had gone too, that place was as many rows on, and the next page skipped
 * rows never shown: with the cursor's item and the one before it gone, the VM after it was never
 * listed. The cursor also names the item after its own, and the page starts there.
 */
describe.each([
  ['instances', PLAIN],
  ['instances(filter: { status })', FILTERED],
])('%s: a page after a cursor whose item is gone, its account having lost rows before it too', (_list, PAGE) => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  beforeEach(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
  });
  afterEach(() => harness.close());

  const page = async (first: number, after?: string): Promise<Page['instances']['edges']> => {
    const answer = await harness.gql<Page>(PAGE, { first, after });
    expect(answer.errors).toBeUndefined();
    return answer.data!.instances.edges;
  };
  const remove = (hostname: string): void => {
    simulator.vms.splice(simulator.vms.findIndex((vm) => vm.hostname === hostname), 1);
  };

  it.each([
    ['the row just before it', [1, 2]],
    ['every row before it', [0, 1, 2]],
  ])('skips no row when %s went with it', async (_what, gone) => {
    const all = (await page(100)).map((edge) => edge.node.nativeId);
    const first = await page(3);
    for (const index of gone) remove(all[index]!);
    const next = await page(2, first[2]!.cursor);
    expect(next.map((edge) => edge.node.nativeId)).toEqual([all[3], all[4]]);
  });

  it('skips no row when the item after it went too, and rows before it stayed', async () => {
    const all = (await page(100)).map((edge) => edge.node.nativeId);
    const first = await page(3);
    remove(all[2]!);
    remove(all[3]!);
    const next = await page(2, first[2]!.cursor);
    expect(next.map((edge) => edge.node.nativeId)).toEqual([all[4], all[5]]);
  });
});

const PLAIN_BACKWARD = 'query($last: Int!, $before: String) { instances(last: $last, before: $before) { edges { cursor node { nativeId } } } }';
const FILTERED_BACKWARD = 'query($last: Int!, $before: String) { instances(last: $last, before: $before, filter: { status: [RUNNING, STOPPED] }) { edges { cursor node { nativeId } } } }';

/**
 * Read backward from a forward page's first cursor, the page before meets it exactly. Where that
 * cursor's item and the row before it are gone, the keyed list's page ended at the item's old place
 * in its account, one row on: it served again the row after the gone item, already shown on the
 * page the cursor came from (the filter's cursors already ended at the item that followed it).
 */
describe.each([
  ['instances', PLAIN, PLAIN_BACKWARD],
  ['instances(filter: { status })', FILTERED, FILTERED_BACKWARD],
])('%s: a page before a cursor whose item is gone, its account having lost rows before it too', (_list, PAGE, BACKWARD) => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  beforeEach(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
  });
  afterEach(() => harness.close());

  it('ends right before the row that followed it, serving no row again', async () => {
    const forward = async (first: number, after?: string) => (await harness.gql<Page>(PAGE, { first, after })).data!.instances.edges;
    const all = (await forward(100)).map((edge) => edge.node.nativeId);
    const second = await forward(3, (await forward(3))[2]!.cursor);
    for (const index of [2, 3]) simulator.vms.splice(simulator.vms.findIndex((vm) => vm.hostname === all[index]), 1);
    const answer = await harness.gql<Page>(BACKWARD, { last: 2, before: second[0]!.cursor });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.instances.edges.map((edge) => edge.node.nativeId)).toEqual([all[0], all[1]]);
  });
});

const ALL_BACKUPS = 'query($first: Int!, $after: String) { backups(first: $first, after: $after) { edges { cursor node { id name instance { nativeId } } } } }';
const ONE_VMS_BACKUPS = 'query($first: Int!, $after: String, $instanceId: ID!) { backups(first: $first, after: $after, filter: { instanceId: $instanceId }) { edges { cursor node { id name instance { nativeId } } } } }';
type BackupEdges = { backups: { edges: Array<{ cursor: string; node: { id: string; name: string; instance: { nativeId: string } | null } }> } };

/**
 * The same for `backups`: across accounts, and of one instance (a list of no accounts' order, whose
 * cursors named no item after their own: a gone backup resumed at its old place in the list, past
 * a backup never shown where one before it was gone too).
 */
describe('backups: a page after a cursor whose backup is gone, backups before it gone too', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  beforeEach(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
  });
  afterEach(() => harness.close());

  const remove = (node: BackupEdges['backups']['edges'][number]['node']): void => {
    simulator.backups.splice(simulator.backups.findIndex((row) => row.name === node.name && row.hostname === node.instance?.nativeId), 1);
  };

  it.each([
    ['of every instance', ALL_BACKUPS],
    ['of one instance', ONE_VMS_BACKUPS],
  ])('%s: skips no backup', async (_which, PAGE) => {
    const instanceId = (await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>('{ instances(first: 100) { edges { node { id nativeId } } } }'))
      .data!.instances.edges.find((edge) => edge.node.nativeId === 'web03.example.com')!.node.id;
    const page = async (first: number, after?: string) => {
      const answer = await harness.gql<BackupEdges>(PAGE, { first, after, instanceId });
      expect(answer.errors).toBeUndefined();
      return answer.data!.backups.edges;
    };
    const all = await page(100);
    expect(all.length).toBeGreaterThanOrEqual(4);
    const first = await page(2);
    remove(all[0]!.node);
    remove(all[1]!.node);
    expect((await page(2, first[1]!.cursor)).map((edge) => edge.node.id)).toEqual([all[2]!.node.id, all[3]!.node.id]);
  });
});
