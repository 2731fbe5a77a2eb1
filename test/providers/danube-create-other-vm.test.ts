import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { type Ask, danubeHarness, finished, madeWithNote, type Node, runDailyAgain, startCreate } from '../helpers/danube-creates.js';
import type { Harness } from '../helpers/harness.js';

/**
 * A create whose finished task names no backup (a current esdc-ce) is found among its VM's
 * backups of the definition and disk made since it began. A panel that ignores the VM in
 * `GET /vm/{h}/backup` answers every VM's rows, each naming its own `vm`: another VM's run of a
 * definition of the same name ("daily" is one of Danube's predefined names) is not the create's.
 */
describe("danube: a create's backup is looked for among its own VM's rows only", () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let nodes: Node[];
  let ask: Ask;
  beforeAll(async () => {
    ({ harness, simulator, nodes } = await danubeHarness());
    ask = harness.gql;
    simulator.ignoresVmFilter = true;
  });
  afterAll(() => harness.close());

  it("names the create's backup though another VM's daily ran meanwhile (it named none: two candidates)", async () => {
    simulator.asyncDelayMs = 60_000;
    const [mine, other] = [nodes[2]!, nodes[3]!];
    const { id, taskId } = await startCreate(ask, mine, 'mine-only');
    runDailyAgain(simulator, other);
    simulator.tasks.get(taskId)!.doneAt = 0;
    expect(await finished(ask, id)).toEqual({ status: 'SUCCEEDED', error: null, backup: { name: madeWithNote(simulator, mine, 'mine-only'), diskId: '1' } });
  });

  it("is FAILED \"could not be confirmed\" when its task is forgotten and only another VM's run is newer (it read SUCCEEDED, taking that backup for its own)", async () => {
    simulator.asyncDelayMs = 60_000;
    const [mine, other] = [nodes[4]!, nodes[5]!];
    const { id, taskId } = await startCreate(ask, mine, 'never-made');
    // The create's own backup is gone (as a failed create's is), and Danube has forgotten the task.
    simulator.backups.splice(simulator.backups.findIndex((backup) => backup.note === 'never-made'), 1);
    simulator.forgetTask(taskId);
    runDailyAgain(simulator, other);
    const done = await finished(ask, id);
    expect(done).toMatchObject({ status: 'FAILED', backup: null });
    expect(done?.error).toContain('could not be confirmed');
  });
});
