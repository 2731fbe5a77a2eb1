import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

interface Node {
  nativeId: string;
  backups: Array<{ id: string; nativeId: string; status: string }>;
}

const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';

/**
 * Danube's 417 "VM backup status is not OK" (esdc-ce's VmBackup: a delete of a backup neither ok
 * nor lost, a restore from one not ok; the backup's own status "1 ok, 2 pending, 3 restore, 4 lost")
 * reached the client as those words alone, where every other refusal says what to do. It says that
 * nothing was done and what ends it: the backup's work ending, or, lost, another backup.
 */
describe("danube: a delete or restore refused for the backup's own status", () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let nodes: Node[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], simulator: { instances: 6 }, configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>('{ instances(first: 100) { edges { node { nativeId backups { id nativeId status } } } } }');
    nodes = answer.data!.instances.edges.map((edge) => edge.node);
  });
  afterAll(() => harness.close());

  const available = (n: number) => {
    const node = nodes.filter((item) => item.backups.some((backup) => backup.status === 'AVAILABLE'))[n]!;
    const backup = node.backups.find((item) => item.status === 'AVAILABLE')!;
    const row = simulator.backups.find((item) => item.hostname === node.nativeId && item.name === backup.nativeId)!;
    return { backup, row };
  };
  const writes = () => harness.simulator('danube').server.count((request) => request.method !== 'GET');

  it.each([
    ['a delete of a backup being restored from (status 3)', DELETE, 3, 0, /^VM backup status is not OK: Danube deletes a backup only once it is made \(or lost\), .*nothing was done; wait for that work to end .*then send the delete again$/],
    ['a restore from a backup being made (status 2)', RESTORE, 2, 1, /^VM backup status is not OK: Danube restores only from a backup that is made and idle, .*nothing was done; wait for that work to end .*or restore from another backup/],
    ['a restore from a lost backup (status 4)', RESTORE, 4, 2, /^VM backup status is not OK: .*is lost \(FAILED here\).*or restore from another backup \(a lost one never will be\)$/],
  ])('%s is CONFLICT with what to do next, sent once', async (_what, mutation, status, n, words) => {
    const { backup, row } = available(n);
    const before = row.status;
    row.status = status;
    harness.resetUpstreamLogs();
    try {
      const answer = await harness.gql(mutation, { input: mutation === RESTORE ? { backupId: backup.id, confirm: true } : { backupId: backup.id } });
      expect(errorCodes(answer)).toEqual(['CONFLICT']);
      expect(answer.errors?.[0]?.message).toMatch(words);
      expect(writes()).toBe(1);
    } finally {
      row.status = before;
    }
  });
});
