import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeOperationId, operationId } from '../../src/gateway/ids.js';
import { STARTED_OPERATIONS_NAMESPACE } from '../../src/gateway/started-operations.js';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import type { SimulatorServer } from '../../src/simulator/server.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { NamedMemoryStore } from '../helpers/named-memory-store.js';
import { wsClient } from '../helpers/ws.js';

const INSTANCES = '{ instances(first: 100) { edges { node { id backups { id status protected } } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status backup { status } } }';
const FOLLOW = 'subscription($id: ID!) { operationUpdated(id: $id) { status backup { status } } }';
/** Zomro's backup list, which both a poll's status (no job at Zomro) and its `backup` are read from. */
const BACKUP_LIST = 'instances.fleio_bckps';
/** Zomro's backupGiveUpMs by default: a create whose backup still shows Saving past it is FAILED. */
const TWO_HOURS_AND_A_MINUTE_MS = 2 * 60 * 60_000 + 60_000;

interface Told {
  status: string;
  backup: { status: string } | null;
}
type Instances = Array<{ id: string; backups: Array<{ id: string; status: string; protected: boolean }> }>;

/**
 * Where an answer's `backup` does not make a running operation SUCCEEDED (operation-as-shown.ts):
 * a provider's own end stands beside whatever the list shows, and a delete's SUCCEEDED resting on
 * its backup's absence alone is told only where this gateway started it. Each case ends the work
 * between the status's list read and the `backup` field's (the first list's answer held).
 */
describe('zomro: an operation its backup does not end', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let server: SimulatorServer;
  let instances: Instances;
  const store = new NamedMemoryStore();
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], store, configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    server = harness.simulator('zomro').server;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Instances[number] }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    instances = answer.data!.instances.edges.map((edge) => edge.node);
  });
  afterAll(() => harness.close());

  /** Reads `query` once, `end` run while the first backup list's answer is held. */
  async function readEndingBetween<T>(query: string, variables: Record<string, unknown>, end: () => void) {
    const hold = server.holdAnswersOf(BACKUP_LIST);
    const read = harness.gql<T>(query, variables);
    await hold.arrived;
    end();
    hold.release();
    return read;
  }

  /** A create of `instances[nth]` whose backup stays Saving, its id written as a read hours later writes it: started past backupGiveUpMs ago. */
  async function createGivenUp(nth: number, name: string): Promise<string> {
    simulator.asyncDelayMs = 3_600_000;
    const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId: instances[nth]!.id, name } });
    expect(created.errors).toBeUndefined();
    const ref = decodeOperationId(created.data!.createBackup.operation.id);
    return operationId({ ...ref, startedAt: new Date(ref.startedAt.getTime() - TWO_HOURS_AND_A_MINUTE_MS) });
  }

  it('operation(id:): a create read FAILED (its backup Saving past backupGiveUpMs) stays FAILED beside its backup then listed AVAILABLE (a guard)', async () => {
    const id = await createGivenUp(0, 'made-after-giving-up');
    const answer = await readEndingBetween<{ operation: Told }>(OPERATION, { id }, () => simulator.finishBackups());
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.operation).toEqual({ status: 'FAILED', backup: { status: 'AVAILABLE' } });
  });

  it('operationUpdated: that create is told FAILED once, not SUCCEEDED: a provider\'s own end stands beside its backup', async () => {
    const id = await createGivenUp(1, 'followed-after-giving-up');
    const hold = server.holdAnswersOf(BACKUP_LIST);
    const client = wsClient(harness.gateway.graphqlUrl);
    try {
      const told = new Promise<Told[]>((resolve, reject) => {
        const updates: Told[] = [];
        client.subscribe<{ operationUpdated: Told }>(
          { query: FOLLOW, variables: { id } },
          {
            next: (value) => (value.errors ? reject(new Error(JSON.stringify(value.errors))) : updates.push(value.data!.operationUpdated)),
            error: (error: unknown) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
            complete: () => resolve(updates),
          },
        );
      });
      // The poll loop's list read (FAILED: still Saving) is held while the backup is made; the subscriber's own read finds it AVAILABLE.
      await hold.arrived;
      simulator.finishBackups();
      hold.release();
      expect(await told).toEqual([{ status: 'FAILED', backup: { status: 'AVAILABLE' } }]);
    } finally {
      await client.dispose();
    }
  });

  it('a delete this gateway did not start, ended between the reads, is NOT_FOUND: neither its backup listed nor its absence vouches for it', async () => {
    simulator.deleteDelayMs = 3_600_000;
    const backup = instances.flatMap((instance) => instance.backups).find((item) => item.status === 'AVAILABLE' && !item.protected)!;
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string } } }>(DELETE, { input: { backupId: backup.id } });
    expect(deleted.errors).toBeUndefined();
    const id = deleted.data!.deleteBackup.operation.id;
    // As another gateway's delete, or one asked of Zomro's panel: no start record here.
    await store.namespaceNamed(STARTED_OPERATIONS_NAMESPACE).delete(operationId(decodeOperationId(id)));
    const answer = await readEndingBetween<{ operation: Told }>(OPERATION, { id }, () => simulator.finishDeletes());
    expect(errorCodes(answer)).toEqual(['NOT_FOUND']);
  });
  it('a delete whose list left a row out reads RUNNING beside no backup, and the error of the row left out names the operation\'s `backup`', async () => {
    simulator.deleteDelayMs = 3_600_000;
    const backup = instances.flatMap((instance) => instance.backups).filter((item) => item.status === 'AVAILABLE' && !item.protected).at(-1)!;
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string } } }>(DELETE, { input: { backupId: backup.id } });
    expect(deleted.errors).toBeUndefined();
    // A row the gateway cannot read (an id past any Zomro's) in the same instance's list.
    const { deletingUntil: _deleting, ...row } = [...simulator.backups.values()].find((item) => item.deletingUntil !== undefined)!;
    simulator.backups.set('planted', { ...row, id: 'u'.repeat(2000) });
    try {
      const answer = await readEndingBetween<{ operation: Told }>(OPERATION, { id: deleted.data!.deleteBackup.operation.id }, () => simulator.finishDeletes());
      expect(answer.data?.operation).toEqual({ status: 'RUNNING', backup: null });
      // The backup may be the row left out: said at the field that looked it up, not as an internal error.
      expect(answer.errors?.map((error) => ({ path: error.path, code: error.extensions?.code, providerCode: error.extensions?.providerCode }))).toEqual([
        { path: ['operation', 'backup'], code: 'PROVIDER_ERROR', providerCode: 'INVALID_RESPONSE' },
      ]);
      expect(answer.errors![0]!.message).toContain('left out of its backups list');
    } finally {
      simulator.backups.delete('planted');
    }
  });
});
