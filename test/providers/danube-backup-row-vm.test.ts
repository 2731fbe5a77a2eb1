import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { type Ask, danubeHarness, finished, madeWithNote, type Node, startCreate } from '../helpers/danube-creates.js';
import type { Harness } from '../helpers/harness.js';

const BACKUPS = 'query($id: ID!) { instance(id: $id) { backups { name } } }';

/**
 * A backup row that names no VM (`vm` "" or absent; the API docs' example row has none) is the
 * VM's it was listed for, in the backup list and in a create's look-up of its new backup alike:
 * the look-up dropped a `vm: ""` row as another VM's, so a current esdc-ce's create (its task
 * names no backup) the VM did list ended SUCCEEDED naming no backup.
 */
describe.each([
  { field: 'empty' as const },
  { field: 'absent' as const },
])('danube: backup rows with vm $field', ({ field }) => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let nodes: Node[];
  let ask: Ask;
  beforeAll(async () => {
    ({ harness, simulator, nodes } = await danubeHarness());
    ask = harness.gql;
    simulator.backupVmField = field;
  });
  afterAll(() => harness.close());

  it("names the create's backup, which the VM's backup list shows", async () => {
    simulator.asyncDelayMs = 60_000;
    const node = nodes[2]!;
    const { id, taskId } = await startCreate(ask, node, `row-vm-${field}`);
    simulator.tasks.get(taskId)!.doneAt = 0;
    const made = madeWithNote(simulator, node, `row-vm-${field}`);
    expect(await finished(ask, id)).toEqual({ status: 'SUCCEEDED', error: null, backup: { name: made, diskId: '1' } });
    const listed = await ask<{ instance: { backups: Array<{ name: string }> } }>(BACKUPS, { id: node.id });
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.instance.backups.map((backup) => backup.name)).toContain(made);
  });
});
