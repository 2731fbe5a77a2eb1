import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ESDC_CE_CREATE_DETAIL, type DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { eventually, startHarness, type Harness } from '../helpers/harness.js';

interface Node {
  id: string;
  nativeId: string;
}

const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status providerOperationId } backup { name } } }';
const FOLLOW = 'query($id: ID!) { operation(id: $id) { status backup { name diskId } } }';

interface Created {
  createBackup: { operation: { id: string; status: string; providerOperationId: string | null }; backup: { name: string } | null };
}
interface Followed {
  operation: { status: string; backup: { name: string; diskId: string } | null };
}

/**
 * A current esdc-ce names no backup in a finished create's result (its task
 * callback keeps only the backup tool's figures): the gateway finds the one
 * backup the definition made on the disk after the create began, on
 * Danube's clock, and names none when more than one could be it.
 */
describe('danube: a create whose finished task names no backup (current esdc-ce)', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let nodes: Node[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], simulator: { instances: 8 } });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    simulator.createDetail = ESDC_CE_CREATE_DETAIL;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>('{ instances(first: 100) { edges { node { id nativeId } } } }');
    expect(answer.errors).toBeUndefined();
    nodes = answer.data!.instances.edges.map((edge) => edge.node);
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    simulator.asyncDelayMs = 60_000;
    simulator.finishAtOnce = false;
  });

  /** Starts a create whose task runs until `finish` is called. */
  async function startCreate(node: Node, note: string, definitionName = 'daily'): Promise<{ id: string; finish: () => void }> {
    const answer = await harness.gql<Created>(CREATE, { input: { instanceId: node.id, name: note, definitionName } });
    expect(answer.errors).toBeUndefined();
    const { id, status, providerOperationId } = answer.data!.createBackup.operation;
    expect(status).toBe('RUNNING');
    return { id, finish: () => void (simulator.tasks.get(providerOperationId!)!.doneAt = 0) };
  }

  const finished = (id: string) => eventually(() => harness.gql<Followed>(FOLLOW, { id }), (poll) => poll.data?.operation.status !== 'RUNNING');
  const madeWithNote = (node: Node, note: string) => simulator.backups.find((backup) => backup.hostname === node.nativeId && backup.note === note)!;

  it('names the backup of a finished task from the VM list: the one its definition made on its disk since the create began', async () => {
    // The third VM has daily backups already; the first has none (every daily backup is new there).
    for (const node of [nodes[2]!, nodes[0]!]) {
      const note = `unnamed-${node.nativeId}`;
      const { id, finish } = await startCreate(node, note);
      finish();
      const ended = await finished(id);
      expect(ended.errors).toBeUndefined();
      expect(ended.data?.operation).toEqual({ status: 'SUCCEEDED', backup: { name: String(madeWithNote(node, note).name), diskId: '1' } });
    }
  });

  it('names it for a create Danube finished at once too, in the mutation answer itself', async () => {
    simulator.finishAtOnce = true;
    const node = nodes[3]!;
    const answer = await harness.gql<Created>(CREATE, { input: { instanceId: node.id, name: 'at-once', definitionName: 'daily' } });
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.createBackup.operation.status).toBe('SUCCEEDED');
    expect(answer.data?.createBackup.backup).toEqual({ name: madeWithNote(node, 'at-once').name });
  });

  it("is not put off by another definition's backup made meanwhile", async () => {
    const node = nodes[4]!;
    const { id, finish } = await startCreate(node, 'beside-weekly');
    simulator.backups.push({ hostname: node.nativeId, name: 'weekly-run', define: 'weekly', disk_id: 1, status: 1, created: new Date(Date.now() + 1000).toISOString(), note: '' });
    finish();
    const ended = await finished(id);
    expect(ended.data?.operation).toEqual({ status: 'SUCCEEDED', backup: { name: String(madeWithNote(node, 'beside-weekly').name), diskId: '1' } });
  });

  it('names no backup when the definition ran again meanwhile (its schedule, another client): two could be the create\'s', async () => {
    const node = nodes[5]!;
    const { id, finish } = await startCreate(node, 'crowded');
    // The definition's schedule fires while the create runs: a second new backup of daily, disk 1.
    simulator.backups.push({ hostname: node.nativeId, name: 'daily-scheduled', define: 'daily', disk_id: 1, status: 1, created: new Date(Date.now() + 1000).toISOString(), note: '' });
    finish();
    const ended = await finished(id);
    expect(ended.errors).toBeUndefined();
    expect(ended.data?.operation).toEqual({ status: 'SUCCEEDED', backup: null });
  });
});
