import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOperationId } from '../../src/gateway/ids.js';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import type { SimRequest, SimResponse } from '../../src/simulator/server.js';
import { eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { CREATE, OPERATION, BACKUP_LIST, type Created, type Polled } from '../helpers/onapp-creates.js';

/**
 * A create's operation looks through the older series of its disk still
 * open: the series named by the VM's backup ids listed below the highest id
 * it read. Deleting the backup an older series read (the VM's newest when
 * those creates started) hid that series from later creates' operations:
 * A and C read 18; A made 25; B read 25; 18 is deleted; B made 26 and was
 * told of it; C, counting its own series only, took 26 as well.
 */

describe('onapp: the backup an older series read is deleted while its creates are under way', () => {
  let harness: Harness;
  let simulator: OnappSimulator;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['onapp'], configure: withProviderSettings({ coalesceReads: false, cacheTtlMs: 0 }) });
    simulator = harness.simulator('onapp').simulator as OnappSimulator;
  });
  afterAll(() => harness.close());

  const finished = async (id: string): Promise<Polled['operation']> =>
    (
      await eventually(
        () => harness.gql<Polled>(OPERATION, { id }),
        (value) => value.data?.operation.status === 'SUCCEEDED' || value.data?.operation.status === 'FAILED',
        { timeoutMs: 5_000 },
      )
    ).data!.operation;

  it('never tells two creates of one backup', async () => {
    const instances = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>('{ instances { edges { node { id nativeId } } } }');
    const vm = instances.data!.instances.edges.map((edge) => edge.node).find((node) => node.nativeId === '484')!;
    const ofVm = () => [...simulator.backups.values()].filter((backup) => backup.vmId === 484).map((backup) => backup.id);
    const readByFirst = Math.max(...ofVm());
    const handled = simulator as unknown as { handle(request: SimRequest): SimResponse | Promise<SimResponse> };
    const handle = handled.handle.bind(simulator);
    let posts = 0;
    let firstMade!: () => void;
    const firstIsMade = new Promise<void>((resolve) => (firstMade = resolve));
    let letSecondThrough!: () => void;
    const secondMayGo = new Promise<void>((resolve) => (letSecondThrough = resolve));
    handled.handle = async (request) => {
      if (request.method !== 'POST') return handle(request);
      const post = ++posts;
      // C's POST waits until B's backup is made; B's POST comes after B read the list, and the
      // backup A and C read is deleted (from OnApp's panel, say) before B's is made.
      if (post === 2) await secondMayGo;
      if (post === 3) simulator.backups.delete(readByFirst);
      const answer = await handle(request);
      if (post === 1) firstMade();
      return answer;
    };
    try {
      harness.simulator('onapp').server.setFault({ mode: 'late', onlyLabel: BACKUP_LIST, slowMs: 400, times: 2 });
      const overlapping = ['a', 'c'].map((name) => harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name } }));
      await firstIsMade;
      const later = await harness.gql<Created>(CREATE, { input: { instanceId: vm.id, name: 'b' } });
      expect(later.errors).toBeUndefined();
      expect(Number(decodeOperationId(later.data!.createBackup!.operation.id).token[1])).toBeGreaterThan(readByFirst);
      letSecondThrough();
      const answers = [...(await Promise.all(overlapping)), later];
      for (const answer of answers) expect(answer.errors).toBeUndefined();
      const made = await Promise.all(answers.map((answer) => finished(answer.data!.createBackup!.operation.id)));
      const reported = made.filter((operation) => operation.status === 'SUCCEEDED').map((operation) => operation.backup?.nativeId);
      expect(reported).toHaveLength(3);
      expect(new Set(reported).size).toBe(3);
      expect(reported.toSorted()).toEqual(ofVm().filter((id) => id > readByFirst).map(String).toSorted());
    } finally {
      delete (handled as Partial<typeof handled>).handle;
    }
  });
});
