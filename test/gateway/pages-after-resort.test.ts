import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

type Edge = { cursor: string; node: { name: string } };
type Page = { backups: { edges: Edge[] } };
type InstancesPage = { instances: { edges: Array<{ node: { id: string; backups: Array<{ id: string }> | null } }> } };

const ALL = 'query($first: Int, $after: String, $last: Int, $before: String) { backups(first: $first, after: $after, last: $last, before: $before) { edges { cursor node { name } } } }';
const ONE = 'query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) { backups(filter: { instanceId: $id }, first: $first, after: $after, last: $last, before: $before) { edges { cursor node { name } } } }';
const HOUR = 3_600_000;
const NEWEST = Date.UTC(2026, 0, 1);

/**
 * Backups run newest first. A cursor named its backup (and the one after it), and the next page
 * started right after that backup wherever it stood now: when a backup's time changed between
 * pages, a re-sort moved it, and the page after it served again rows already shown (moved newer)
 * or skipped rows never shown (moved older); where it was gone, the page started at the backup
 * after it, wherever a new time had put that one. A page now stands by the cursor's backup's time
 * as it was shown: the rows older than it follow, whatever moved.
 */
describe.each([
  ['backups', false],
  ["one instance's backups", true],
])('%s: paging while backups change their time', (_list, oneInstance) => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let instanceId = '';

  beforeEach(async () => {
    harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    // Each backup a name and an hour of its own: the seed's share both across VMs.
    simulator.backups.forEach((backup, index) => {
      backup.name = `b${String(index).padStart(2, '0')}`;
      backup.created = new Date(NEWEST - index * HOUR).toISOString();
    });
    const instances = await harness.gql<InstancesPage>('{ instances(first: 50) { edges { node { id backups { id } } } } }');
    instanceId = instances.data!.instances.edges.find(({ node }) => (node.backups?.length ?? 0) >= 4)!.node.id;
  });
  afterEach(() => harness.close());

  const page = async (args: { first?: number; after?: string; last?: number; before?: string }): Promise<Edge[]> => {
    const answer = await harness.gql<Page>(oneInstance ? ONE : ALL, oneInstance ? { id: instanceId, ...args } : args);
    expect(answer.errors).toBeUndefined();
    return answer.data!.backups.edges;
  };
  const names = (edges: Edge[]): string[] => edges.map((edge) => edge.node.name);
  const backupNamed = (name: string) => simulator.backups.find((backup) => backup.name === name)!;
  const retime = (name: string, time: number): void => {
    backupNamed(name).created = new Date(time).toISOString();
  };
  const remove = (name: string): void => {
    simulator.backups.splice(simulator.backups.indexOf(backupNamed(name)), 1);
  };

  it('serves no row again when the last row shown became the newest', async () => {
    const all = names(await page({ first: 50 }));
    const first = await page({ first: 2 });
    retime(all[1]!, NEWEST + HOUR);
    expect(names(await page({ first: 2, after: first[1]!.cursor }))).toEqual([all[2], all[3]]);
  });

  it('skips no row when the last row shown became the oldest', async () => {
    const all = names(await page({ first: 50 }));
    const first = await page({ first: 1 });
    retime(all[0]!, NEWEST - 1_000 * HOUR);
    expect(names(await page({ first: 2, after: first[0]!.cursor }))).toEqual([all[1], all[2]]);
  });

  it('serves no row again when the last row shown is gone and the row after it became the newest', async () => {
    const all = names(await page({ first: 50 }));
    const first = await page({ first: 2 });
    remove(all[1]!);
    retime(all[2]!, NEWEST + HOUR);
    expect(names(await page({ first: 1, after: first[1]!.cursor }))).toEqual([all[3]]);
  });

  it('a page before a moved row ends where the page after it starts', async () => {
    const all = names(await page({ first: 50 }));
    const first = await page({ first: 2 });
    retime(all[1]!, NEWEST + HOUR);
    // The rows older than its old time follow it; those newer (the moved one among them) precede it.
    expect(names(await page({ last: 2, before: first[1]!.cursor }))).toEqual([all[1], all[0]]);
  });

  it('pages on as before where no row moved (guard)', async () => {
    const all = names(await page({ first: 50 }));
    const first = await page({ first: 2 });
    expect(names(await page({ first: 2, after: first[1]!.cursor }))).toEqual([all[2], all[3]]);
    expect(names(await page({ last: 1, before: first[1]!.cursor }))).toEqual([all[0]]);
  });
});
