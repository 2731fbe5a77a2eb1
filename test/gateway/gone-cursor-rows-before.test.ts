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
