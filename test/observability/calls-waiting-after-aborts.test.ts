import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const BACKUP_LIST = 'instances.fleio_bckps';

/**
 * The gauge reads Slots.waiting: a waiter whose client went away leaves the queue at once, and the
 * gauge must say so while the slot is still held, not when its turn would have come.
 */

describe('backup_graph_upstream_calls_waiting after clients go away', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ maxConcurrency: 1, cacheTtlMs: 0 }) });
  });
  afterAll(() => harness.close());
  const waitingNow = async (): Promise<number | undefined> => {
    const text = await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
    const line = text.split('\n').find((entry) => entry.startsWith('backup_graph_upstream_calls_waiting{') && entry.includes(`provider="${harness.providerId('zomro')}"`));
    return line === undefined ? undefined : Number(line.split(' ').at(-1));
  };
  it('drops to 0 when the waiting clients go away, the slot still held', async () => {
    const hold = harness.simulator('zomro').server.holdAnswersOf(BACKUP_LIST);
    const controllers = [new AbortController(), new AbortController()];
    const sent = controllers.map((controller, index) =>
      fetch(harness.gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ instances(first: 100) { edges { node { backups { id } } } } a${index}: providers { id } }` }), signal: controller.signal }).catch(() => null),
    );
    await hold.arrived;
    expect(await eventually(waitingNow, (value) => (value ?? 0) > 1)).toBeGreaterThan(1);
    for (const controller of controllers) controller.abort();
    await Promise.all(sent);
    expect(await eventually(waitingNow, (value) => value === 0)).toBe(0);
    hold.release();
    expect(await waitingNow()).toBe(0);
  });
});
