import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import type { ProviderKind } from '../../src/providers/registry.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { wsClient, wsRun } from '../helpers/ws.js';

interface BackupRow {
  id: string;
  status: string;
}
interface OperationRow {
  id: string;
  status: string;
  backupId: string | null;
  backup: BackupRow | null;
}

const DELETE = 'mutation($id: ID!) { deleteBackup(input: { backupId: $id }) { backup { id status } operation { id status backupId backup { id status } } } }';
const FOLLOW = 'subscription($id: ID!) { operationUpdated(id: $id) { id status backupId backup { id status } } }';

/**
 * Holds `kind`'s delete running until the payload is checked, then lets it end: the answer back.
 * ZStack's job and Danube's task remove the backup as they end, and at the harness's 150 ms one
 * could end before the mutation's follow-up reads on a loaded machine (a full `npm test`): the
 * provider rightly no longer listed the backup, and the payload showed it gone beside the RUNNING
 * the delete had answered. Zomro's and OnApp's deletes are left as they run.
 */
function holdDelete(harness: Harness, kind: ProviderKind): () => void {
  if (kind !== 'zstack' && kind !== 'danube') return () => {};
  const simulator = harness.simulator(kind).simulator as ZstackSimulator | DanubeSimulator;
  const asyncDelayMs = simulator.asyncDelayMs;
  simulator.asyncDelayMs = 600_000;
  return () => {
    simulator.asyncDelayMs = asyncDelayMs;
    if ('finishJobs' in simulator) simulator.finishJobs();
    else simulator.finishTasks();
  };
}

/**
 * A dashboard on a normalised cache (Apollo Client, urql's graphcache) deletes
 * a backup and follows the operation: every object under one id must agree
 * within an answer, and the end of the delete must name what to evict.
 */
describe('a deleted backup, as a normalised client cache sees it', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro', 'onapp', 'zstack', 'danube'] });
  });
  afterAll(() => harness.close());

  it.each<ProviderKind>(['zomro', 'onapp', 'zstack', 'danube'])('%s: the payload shows one status per backup id, and the finished delete names the backup it removed', async (kind) => {
    const list = await harness.gql<{ backups: { edges: Array<{ node: BackupRow & { protected: boolean } }> } }>(
      'query($kind: ProviderKind!) { backups(first: 100, filter: { kind: $kind, status: [AVAILABLE] }) { edges { node { id status protected } } } }',
      { kind: kind.toUpperCase() },
    );
    const target = list.data!.backups.edges.map((edge) => edge.node).find((backup) => !backup.protected)!;
    expect(target).toBeDefined();

    const release = holdDelete(harness, kind);
    const deleted = await harness.gql<{ deleteBackup: { backup: BackupRow | null; operation: OperationRow } }>(DELETE, { id: target.id }).finally(release);
    expect(deleted.errors).toBeUndefined();
    const { backup, operation } = deleted.data!.deleteBackup;
    expect(operation.backupId).toBe(target.id);
    if (operation.status === 'SUCCEEDED') {
      expect([backup, operation.backup]).toEqual([null, null]);
    } else {
      // Before: the payload's backup said DELETING and the operation's backup, the same id, AVAILABLE.
      expect(backup).toEqual({ id: target.id, status: 'DELETING' });
      expect(operation.backup).toEqual({ id: target.id, status: 'DELETING' });
    }

    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const last = await wsRun(client, FOLLOW, { id: operation.id });
      expect(last.errors).toBeUndefined();
      // The subscription's last payload: the backup is gone, and its id says which cached object to evict.
      expect(last.data).toEqual({ operationUpdated: { id: operation.id, status: 'SUCCEEDED', backupId: target.id, backup: null } });
    } finally {
      await client.dispose();
    }
    const after = await harness.gql<{ backup: BackupRow | null }>('query($id: ID!) { backup(id: $id) { id status } }', { id: target.id });
    expect(after.data!.backup).toBeNull();
  }, 30_000);

  it.each<ProviderKind>(['zstack', 'danube'])('%s: the instance\'s backups in the same answer show the backup being deleted as DELETING too', async (kind) => {
    const list = await harness.gql<{ backups: { edges: Array<{ node: BackupRow & { protected: boolean } }> } }>(
      'query($kind: ProviderKind!) { backups(first: 100, filter: { kind: $kind, status: [AVAILABLE] }) { edges { node { id status protected } } } }',
      { kind: kind.toUpperCase() },
    );
    const target = list.data!.backups.edges.map((edge) => edge.node).find((backup) => !backup.protected)!;
    const release = holdDelete(harness, kind);
    const deleted = await harness.gql<{ deleteBackup: { backup: BackupRow & { instance: { backups: BackupRow[] } }; operation: OperationRow } }>(
      'mutation($id: ID!) { deleteBackup(input: { backupId: $id }) { backup { id status instance { backups { id status } } } operation { id status backupId backup { id status } } } }',
      { id: target.id },
    ).finally(release);
    expect(deleted.errors).toBeUndefined();
    const { backup, operation } = deleted.data!.deleteBackup;
    // The simulators run these deletes as a job or task: still RUNNING when the mutation answers.
    expect(operation.status).toBe('RUNNING');
    // Before: the list beside the payload said AVAILABLE (ZStack) or PENDING (Danube) under the same id.
    expect([backup.status, operation.backup?.status, ...backup.instance.backups.filter((row) => row.id === target.id).map((row) => row.status)]).toEqual(['DELETING', 'DELETING', 'DELETING']);
    expect(backup.instance.backups.filter((row) => row.id !== target.id).every((row) => row.status !== 'DELETING')).toBe(true);
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      expect((await wsRun(client, FOLLOW, { id: operation.id })).errors).toBeUndefined();
    } finally {
      await client.dispose();
    }
  }, 30_000);

  it('zstack: the instance\'s protection in the same answer counts the backup being deleted as usable no more', async () => {
    type ProtectionRow = { lastBackup: (BackupRow & { protected: boolean }) | null; usableBackups: number | null };
    const PROTECTION = 'protection { lastBackup { id status protected } usableBackups }';
    const listed = await harness.gql<{ instances: { edges: Array<{ node: { protection: ProtectionRow } }> } }>(`{ instances(kind: ZSTACK, first: 100) { edges { node { ${PROTECTION} } } } }`);
    const before = listed.data!.instances.edges.map((edge) => edge.node.protection).find((protection) => protection.lastBackup && !protection.lastBackup.protected)!;
    expect(before).toBeDefined();
    const target = before.lastBackup!;
    const release = holdDelete(harness, 'zstack');
    const deleted = await harness.gql<{ deleteBackup: { backup: BackupRow & { instance: { protection: ProtectionRow } }; operation: OperationRow } }>(
      `mutation($id: ID!) { deleteBackup(input: { backupId: $id }) { backup { id status instance { ${PROTECTION} } } operation { id status backupId backup { id status } } } }`,
      { id: target.id },
    ).finally(release);
    expect(deleted.errors).toBeUndefined();
    const { backup, operation } = deleted.data!.deleteBackup;
    expect(operation.status).toBe('RUNNING');
    expect(backup.status).toBe('DELETING');
    // Before: lastBackup was the backup being deleted, AVAILABLE under the payload's DELETING id, and counted usable.
    const after = backup.instance.protection;
    expect(after.lastBackup?.id).not.toBe(target.id);
    expect(after.usableBackups).toBe(before.usableBackups! - 1);
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      expect((await wsRun(client, FOLLOW, { id: operation.id })).errors).toBeUndefined();
    } finally {
      await client.dispose();
    }
  }, 30_000);
});
