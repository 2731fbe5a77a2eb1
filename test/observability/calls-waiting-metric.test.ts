import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const BACKUP_LIST = 'instances.fleio_bckps';

/**
 * Calls waiting for an account's upstream slots were seen only in debug lines ("upstream request
 * waits for a slot"): an operator could not tell a slow provider from a queue filling in front of
 * it. One slot, its call held at the provider: the other VMs' backup reads wait, and the gauge says so.
 */
describe('backup_graph_upstream_calls_waiting', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ maxConcurrency: 1 }) });
  });
  afterAll(() => harness.close());

  const waitingNow = async (): Promise<number | undefined> => {
    const text = await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
    const line = text.split('\n').find((entry) => entry.startsWith('backup_graph_upstream_calls_waiting{') && entry.includes(`provider="${harness.providerId('zomro')}"`));
    return line === undefined ? undefined : Number(line.split(' ').at(-1));
  };

  it('reads the calls waiting for a slot while the slot is held, and 0 once they are answered', async () => {
    expect(await waitingNow()).toBe(0);
    const hold = harness.simulator('zomro').server.holdAnswersOf(BACKUP_LIST);
    const dashboard = harness.gql<{ instances: { edges: unknown[] } }>('{ instances(first: 100) { edges { node { backups { id } } } } }');
    await hold.arrived;
    const waiting = await eventually(waitingNow, (value) => (value ?? 0) > 0);
    expect(waiting).toBeGreaterThan(0);
    hold.release();
    const answer = await dashboard;
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.instances.edges.length).toBeGreaterThan(1);
    expect(await waitingNow()).toBe(0);
  });
});
