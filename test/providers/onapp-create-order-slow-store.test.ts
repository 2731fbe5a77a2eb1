import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { CREATE_ORDER_NAMESPACE } from '../../src/state/create-order.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import type { KeyValueStore } from '../../src/state/store.js';
import { eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { CREATE, OPERATION, BACKUP_LIST, type Created, type Polled } from '../helpers/onapp-creates.js';

/**
 * A store that answers a create's place but not, in time, the open mark of
 * its series (a Redis latency spike on one write): the create held its place
 * and yet went ahead without it, so it read as place 1, beside the create
 * that holds place 1, and both were told of one backup.
 */

/** A memory store whose create-order namespace leaves the second series open mark (and later ones) unanswered. */
class SlowOpenMarks extends MemoryStore {
  override namespace(name: string, options: { maxEntries: number }): KeyValueStore {
    const child = super.namespace(name, options);
    if (name !== CREATE_ORDER_NAMESPACE) return child;
    let marks = 0;
    const set = child.set.bind(child);
    return Object.assign(child, {
      set: <T>(key: string, value: T, ttlMs: number): Promise<void> => (key.endsWith(':open') && ++marks > 1 ? new Promise<never>(() => {}) : set(key, value, ttlMs)),
    });
  }
}

describe('onapp: a store that leaves a series open mark unanswered', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], store: new SlowOpenMarks(), configure: withProviderSettings({ coalesceReads: false }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  it('still gives two creates of one disk at once a backup each', async () => {
    const instances = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>('{ instances { edges { node { id nativeId } } } }');
    const vm = instances.data!.instances.edges.map((edge) => edge.node).find((node) => node.nativeId === '484')!;
    const before = Math.max(...simulator.backups.keys());
    // Both creates read the backup list before either one's POST.
    harness.simulator('onapp').server.setFault({ mode: 'late', onlyLabel: BACKUP_LIST, slowMs: 400, times: 2 });
    const answers = await Promise.all(['a', 'b'].map((name) => harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name } })));
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    const made = await Promise.all(
      answers.map(async (answer) => {
        const polled = await eventually(
          () => harness.gql<Polled>(OPERATION, { id: answer.data!.createBackup!.operation.id }),
          (value) => value.data?.operation.status === 'SUCCEEDED' || value.data?.operation.status === 'FAILED',
          { timeoutMs: 5_000 },
        );
        return polled.data!.operation;
      }),
    );
    const listed = [...simulator.backups.values()].filter((backup) => backup.vmId === 484 && backup.id > before).map((backup) => String(backup.id));
    expect(listed).toHaveLength(2);
    expect(made.map((operation) => operation.backup?.nativeId).toSorted()).toEqual(listed.toSorted());
  });
});
