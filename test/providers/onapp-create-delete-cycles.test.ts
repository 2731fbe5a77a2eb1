import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { MOST_OVERLAPPING_CREATES } from '../../src/state/create-order.js';
import { eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { CREATE, OPERATION, type Created, type Polled } from '../helpers/onapp-creates.js';

/**
 * A create whose operation found its backup records it in its place for a
 * day. A backup made and deleted again (a backup before a change, dropped
 * once the change went well) leaves the VM's highest backup id where it
 * was: the next create of the disk reads the same highest id, and so the
 * same series, one place further. The places were all taken by creates long
 * finished after 32 such rounds, and every create of the disk was refused
 * (CONFLICT) for the rest of the day.
 */

describe('onapp: creates of a disk whose backups are deleted again', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ coalesceReads: false, cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  it(`are not refused after ${MOST_OVERLAPPING_CREATES} rounds of create and delete, and each finds its own backup`, async () => {
    const instances = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>('{ instances { edges { node { id nativeId } } } }');
    const vm = instances.data!.instances.edges.map((edge) => edge.node).find((node) => node.nativeId === '481')!;
    const kept = new Set([...simulator.backups.values()].filter((backup) => backup.vmId === 481).map((backup) => backup.id));
    for (let round = 0; round <= MOST_OVERLAPPING_CREATES; round++) {
      const created = await harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name: `round-${round}` } });
      expect(created.errors, `round ${round}`).toBeUndefined();
      const polled = await eventually(
        () => harness.gql<Polled>(OPERATION, { id: created.data!.createBackup!.operation.id }),
        (value) => value.data?.operation.status === 'SUCCEEDED' || value.data?.operation.status === 'FAILED',
        { timeoutMs: 5_000 },
      );
      const made = [...simulator.backups.values()].filter((backup) => backup.vmId === 481 && !kept.has(backup.id));
      expect(made).toHaveLength(1);
      expect(polled.data!.operation).toMatchObject({ status: 'SUCCEEDED', backup: { nativeId: String(made[0]!.id) } });
      // Deleted again (from OnApp's panel, or by the gateway): the VM's highest backup id is back where it was.
      simulator.backups.delete(made[0]!.id);
    }
  });
});
