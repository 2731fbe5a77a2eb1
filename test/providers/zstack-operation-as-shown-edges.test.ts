import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { wsClient } from '../helpers/ws.js';

const INSTANCES = '{ instances(first: 100) { edges { node { id backups { id nativeId } } } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { kind status backup { status } } }';
const FOLLOW = 'subscription($id: ID!) { operationUpdated(id: $id) { status backup { status } } }';
const BACKUP_LIST = 'GET /zstack/v1/volume-backups';

interface Told {
  status: string;
  backup: { status: string } | null;
}
interface Event {
  data?: { operationUpdated: Told } | null;
  errors?: ReadonlyArray<{ message: string; path?: ReadonlyArray<string | number>; extensions?: Record<string, unknown> }>;
}

/** Follows `id` until its first event, which it resolves with; `leave` unsubscribes. */
function firstEvent(client: Client, id: string): { first: Promise<Event>; leave: () => void } {
  let leave: () => void = () => {};
  const first = new Promise<Event>((resolve, reject) => {
    leave = client.subscribe<{ operationUpdated: Told }>(
      { query: FOLLOW, variables: { id } },
      {
        next: (value) => resolve(value as Event),
        error: (error: unknown) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => reject(new Error('ended with no event')),
      },
    );
  });
  return { first, leave };
}

/**
 * ZStack reads an operation's status from its job and its `backup` from the VM's backup list:
 * the list's answer does not end a restore, a list that fails leaves the job's status told, and
 * a subscriber showing `backup` that leaves stops the poll loop as one without it does.
 */
describe('zstack: an operation beside a backup list that does not end it', () => {
  let harness: Harness;
  let simulator: ZstackSimulator;
  let backups: Array<{ id: string; nativeId: string }>;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string; backups: Array<{ id: string; nativeId: string }> } }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    // One backup of each VM: a VM's one job at a time (its queue) does not hold another case's.
    backups = answer.data!.instances.edges.flatMap((edge) => edge.node.backups.slice(0, 1));
    expect(backups.length).toBeGreaterThanOrEqual(3);
    // Every job runs until the test ends.
    simulator.asyncDelayMs = 3_600_000;
  });
  afterAll(async () => {
    await harness.simulator('zstack').server.clearFault();
    await harness.close();
  });

  async function started(mutation: string, field: 'deleteBackup' | 'restoreBackup', input: Record<string, unknown>): Promise<string> {
    const answer = await harness.gql<Record<string, { operation: { id: string; status: string } }>>(mutation, { input });
    expect(answer.errors).toBeUndefined();
    expect(answer.data![field]!.operation.status).toBe('RUNNING');
    return answer.data![field]!.operation.id;
  }

  it('a running restore whose backup is gone from the list reads RUNNING beside no backup, not SUCCEEDED', async () => {
    const backup = backups[0]!;
    const id = await started(RESTORE, 'restoreBackup', { backupId: backup.id, confirm: true });
    // Deleted at ZStack while the revert runs: the group's rows leave the list.
    for (let index = simulator.volumeBackups.length - 1; index >= 0; index--) if (simulator.volumeBackups[index]!.groupUuid === backup.nativeId) simulator.volumeBackups.splice(index, 1);
    const answer = await harness.gql<{ operation: Told & { kind: string } }>(OPERATION, { id });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.operation).toEqual({ kind: 'RESTORE_BACKUP', status: 'RUNNING', backup: null });
  });

  it('a subscriber with `backup` that leaves stops the poll loop it alone held', async () => {
    const id = await started(DELETE, 'deleteBackup', { backupId: backups[1]!.id });
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const { first, leave } = firstEvent(client, id);
      expect((await first).data).toEqual({ operationUpdated: { status: 'RUNNING', backup: { status: 'DELETING' } } });
      // The only subscriber of the only operation followed (the restore above was read, never followed).
      expect(harness.gateway.services.watcher.loops).toBe(1);
      leave();
      await eventually(() => Promise.resolve(harness.gateway.services.watcher.loops), (loops) => loops === 0);
    } finally {
      await client.dispose();
    }
  });

  it('operationUpdated with `backup`, its backup list failing: the job\'s RUNNING is told, the list\'s failure at `backup`', async () => {
    const id = await started(DELETE, 'deleteBackup', { backupId: backups[2]!.id });
    await harness.simulator('zstack').server.setFault({ mode: 'http-500', onlyLabel: BACKUP_LIST });
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const { first, leave } = firstEvent(client, id);
      const event = await first;
      leave();
      expect(event.data).toEqual({ operationUpdated: { status: 'RUNNING', backup: null } });
      expect(event.errors?.map((error) => error.path)).toEqual([['operationUpdated', 'backup']]);
    } finally {
      await harness.simulator('zstack').server.clearFault();
      await client.dispose();
    }
  });
});
