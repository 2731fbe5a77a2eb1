import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * A Zomro delete whose backup is still listed is answered RUNNING from the list alone: nothing at
 * Zomro shows it was asked, so its operation carries `noTraceAtProvider`, and so does the answer
 * kept for its idempotency key. A replay checks that answer's shape field by field
 * (mutation-result-shape.ts): the flag read as not this version's made the replay of every such
 * delete CONFLICT, "a record this gateway cannot read", and the client could not tell whether
 * its delete had been sent.
 */

const LIST = '{ instances(first: 1000) { edges { node { id backups { id status } } } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id kind status } } }';

interface Node {
  id: string;
  backups: Array<{ id: string; status: string }>;
}

describe('idempotency: a delete answered from the list alone', () => {
  let harness: Harness;
  let nodes: Node[];

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    // The delete stays under way all through this file: the backup stays listed.
    (harness.simulator('zomro').simulator as ZomroSimulator).deleteDelayMs = 86_400_000;
    const list = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
    nodes = list.data!.instances.edges.map((edge) => edge.node);
  });
  afterAll(() => harness.close());

  it('is replayed as first answered, with no second delete sent', async () => {
    const backup = nodes.flatMap((node) => node.backups).find((item) => item.status === 'AVAILABLE')!;
    const input = { backupId: backup.id, idempotencyKey: 'delete-listed-backup-once' };
    const first = await harness.gql<{ deleteBackup: { operation: { id: string; kind: string; status: string } } }>(DELETE, { input });
    expect(first.errors).toBeUndefined();
    expect(first.data!.deleteBackup.operation).toMatchObject({ kind: 'DELETE_BACKUP', status: 'RUNNING' });
    harness.resetUpstreamLogs();
    const again = await harness.gql<{ deleteBackup: { operation: { id: string; kind: string; status: string } } }>(DELETE, { input });
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(first.data);
    expect(harness.upstreamCount('zomro')).toBe(0);
  });
});
