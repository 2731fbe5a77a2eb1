import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { type Ask, danubeHarness, madeWithNote, type Node, readOperation as read, runDailyAgain, startCreate } from '../helpers/danube-creates.js';
import type { Harness } from '../helpers/harness.js';

/**
 * Danube forgets a task's result a while after it ran (404 "Task does not
 * exist (anymore)"), its work done either way. A create read only then is
 * judged by the VM's backups, as a delete is: the one backup of its
 * definition and disk made since it began is its own.
 */
describe('danube: a create whose task Danube has forgotten', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let nodes: Node[];
  let ask: Ask;
  beforeAll(async () => {
    ({ harness, simulator, nodes } = await danubeHarness());
    ask = harness.gql;
    simulator.asyncDelayMs = 60_000;
  });
  afterAll(() => harness.close());

  it('is SUCCEEDED with its backup when the one backup of its definition and disk made since it began is listed (it was FAILED)', async () => {
    const node = nodes[2]!;
    const { id, taskId } = await startCreate(ask, node, 'forgotten-ok');
    // The task ran while nobody asked, and Danube has since forgotten it.
    simulator.expireTask(taskId);
    expect(await read(ask, id)).toEqual({ status: 'SUCCEEDED', error: null, backup: { name: madeWithNote(simulator, node, 'forgotten-ok'), diskId: '1' } });
  });

  it('is RUNNING while its backup still reads pending (forgotten before it ran)', async () => {
    const node = nodes[5]!;
    const { id, taskId } = await startCreate(ask, node, 'forgotten-early');
    simulator.forgetTask(taskId);
    expect(await read(ask, id)).toEqual({ status: 'RUNNING', error: null, backup: null });
  });

  it('stays FAILED, saying it could not be confirmed, when no such backup is listed', async () => {
    const node = nodes[3]!;
    simulator.failNextTask = 'zfs send failed';
    const { id, taskId } = await startCreate(ask, node, 'forgotten-failed');
    simulator.expireTask(taskId);
    const operation = await read(ask, id);
    expect(operation?.status).toBe('FAILED');
    expect(operation?.error).toMatch(/no longer knows this task.*could not be confirmed/);
    expect(operation?.backup).toBeNull();
  });

  it('is FAILED saying several backups could be it, and names none, when the definition ran again', async () => {
    const node = nodes[4]!;
    const { id, taskId } = await startCreate(ask, node, 'forgotten-crowded');
    simulator.expireTask(taskId);
    runDailyAgain(simulator, node);
    const operation = await read(ask, id);
    expect(operation?.status).toBe('FAILED');
    expect(operation?.error).toMatch(/no longer knows this task, and 2 backups of its definition and disk were made since the create began/);
    expect(operation?.backup).toBeNull();
  });
  it("stays FAILED with the task's own error when a read saw it fail, though the definition's next run is listed since", async () => {
    const node = nodes[6]!;
    simulator.failNextTask = 'zfs send failed';
    const { id, taskId } = await startCreate(ask, node, 'failed-seen');
    simulator.tasks.get(taskId)!.doneAt = 0;
    const failed = { status: 'FAILED', error: 'zfs send failed', backup: null };
    expect(await read(ask, id)).toEqual(failed);
    // One backup of the definition made since the create began, but not by it.
    runDailyAgain(simulator, node);
    simulator.forgetTask(taskId);
    expect(await read(ask, id)).toEqual(failed);
  });

  it('stays SUCCEEDED, naming none, when a read saw it succeed beside another run of the definition', async () => {
    const node = nodes[7]!;
    const { id, taskId } = await startCreate(ask, node, 'crowded-seen');
    runDailyAgain(simulator, node);
    simulator.tasks.get(taskId)!.doneAt = 0;
    const succeeded = { status: 'SUCCEEDED', error: null, backup: null };
    expect(await read(ask, id)).toEqual(succeeded);
    simulator.forgetTask(taskId);
    expect(await read(ask, id)).toEqual(succeeded);
  });
});

