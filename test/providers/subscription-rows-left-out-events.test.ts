import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { startHarness, withLimits, type Harness } from '../helpers/harness.js';
import { wsClient, type WsAnswer } from '../helpers/ws.js';

const UNREADABLE = 'u'.repeat(2000);
/** Priced at 5 backups a list (44), its lists of lists hold the VM's backups and their square. */
const NESTED = 'subscription($id: ID!) { operationUpdated(id: $id) { status instance { backups { id instance { backups { id } } } } } }';
const MAX_COST = 44;

/**
 * Each event of `operationUpdated` tells the rows its own reads left out, and forgets them after
 * it (RowsLeftOut.startOver). An event refused for the items its lists held (AnswerItemsGuard)
 * returned before that: what it noted stayed, and the next event told its rows again beside its
 * own (two rows of one list, the error twice) for a row left out once.
 */
describe('zomro: an operationUpdated event after one refused for its lists', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let vm: { id: string; nativeId: string };

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withLimits({ maxCost: MAX_COST }) });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    simulator.asyncDelayMs = 600_000;
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>('{ instances(first: 8) { edges { node { id nativeId } } } }');
    expect(listed.errors).toBeUndefined();
    const backupsOf = (nativeId: string): number => [...simulator.backups.values()].filter((row) => row.instanceId === nativeId).length;
    vm = listed.data!.instances.edges.map((edge) => edge.node).find((node) => backupsOf(node.nativeId) > 0 && backupsOf(node.nativeId) <= 3)!;
  });
  afterAll(() => harness.close());

  it('tells the row left out once, as the event that was not refused read it', async () => {
    const backup = [...simulator.backups.values()].find((row) => row.instanceId === vm.nativeId)!;
    simulator.backups.set('planted-unreadable', { ...backup, id: UNREADABLE });
    // Readable backups enough that the first event's lists of lists hold more than maxCost items.
    const extra = ['990001', '990002', '990003', '990004', '990005'];
    for (const id of extra) simulator.backups.set(`planted-${id}`, { ...backup, id });
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>('mutation($vm: ID!) { createBackup(input: { instanceId: $vm, name: "refused-event" }) { operation { id } } }', { vm: vm.id });
    const operation = created.data!.createBackup.operation.id;

    const events: WsAnswer[] = [];
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      let firstSeen: () => void = () => {};
      const first = new Promise<void>((resolve) => (firstSeen = resolve));
      const ended = new Promise<void>((resolve, reject) => {
        client.subscribe({ query: NESTED, variables: { id: operation } }, {
          next: (value) => {
            events.push(value as WsAnswer);
            if (events.length === 1) firstSeen();
          },
          error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
          complete: () => resolve(),
        });
      });
      await first;
      expect(events[0]!.errors?.map((error) => error.extensions?.code)).toEqual(['QUERY_TOO_COMPLEX']);
      for (const id of extra) simulator.backups.delete(`planted-${id}`);
      simulator.finishBackups();
      await ended;
    } finally {
      await client.dispose();
    }
    const last = events.at(-1)!;
    expect((last.data as { operationUpdated: { status: string } }).operationUpdated.status).toBe('SUCCEEDED');
    // Each list of the VM's backups in this event's answer, and only those: every one is that VM's list.
    const shown = (last.data as { operationUpdated: { instance: { backups: unknown[] } } }).operationUpdated.instance.backups.length;
    const paths = ['operationUpdated.instance.backups', ...Array.from({ length: shown }, (_, index) => `operationUpdated.instance.backups.${index}.instance.backups`)];
    expect(last.errors?.map((error) => `${(error as { path?: unknown[] }).path?.join('.')}: ${error.message.replace(/^.*?: /, '')}`)).toEqual(
      paths.map((path) => `${path}: one backup left out of its backups list, the others answered`),
    );
    expect(JSON.stringify(events)).not.toContain(UNREADABLE.slice(0, 600));
  });
});
