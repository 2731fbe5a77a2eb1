import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeId } from '../../src/domain/ids.js';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import type { SimRequest, SimResponse } from '../../src/simulator/server.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * OnApp and Zomro deletes read the backup list after the provider took the DELETE. That read
 * refused with the provider's own code (403: PROVIDER_ERROR; 404: NOT_FOUND or PROVIDER_ERROR)
 * says nothing of the delete: read as its refusal, it freed the idempotencyKey, the client was
 * told the delete failed, and the retry with the key sent a second DELETE.
 */
const LIST = '{ instances(first: 1000) { edges { node { backups { id status } } } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';

interface Deleted {
  deleteBackup: { operation: { id: string; status: string } } | null;
}
type Handle = (request: SimRequest) => SimResponse | Promise<SimResponse>;
interface Refusals {
  /** The DELETE's label in the simulator's log. */
  deleteLabel: string;
  /** Whether a request is the read of the backup list that follows the DELETE. */
  isListRead(request: SimRequest): boolean;
  /** The answer of a refused read. */
  refusal(status: 403 | 404): SimResponse;
  /** Puts the backup back where the provider's delete removed it at once: a provider lists it while its delete runs. */
  stillListed?(nativeId: string): void;
}

async function availableBackupIds(harness: Harness): Promise<string[]> {
  const answer = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ id: string; status: string }> } }> } }>(LIST);
  return answer.data!.instances.edges.flatMap((edge) => edge.node.backups).filter((backup) => backup.status === 'AVAILABLE').map((backup) => backup.id);
}

/** Deletes `backupId` while the reads after its DELETE are refused `status`, then sends the same input again with them answered. */
async function deleteThenRetry(harness: Harness, kind: 'onapp' | 'zomro', refusals: Refusals, backupId: string, status: 403 | 404) {
  const running = harness.simulator(kind);
  const simulator = running.simulator as unknown as { handle: Handle };
  const handle = simulator.handle.bind(simulator);
  let refusing = false;
  simulator.handle = (request) => (refusing && refusals.isListRead(request) ? refusals.refusal(status) : handle(request));
  try {
    const input = { backupId, idempotencyKey: randomUUID() };
    const deletesBefore = running.server.count(refusals.deleteLabel);
    const hold = running.server.holdAnswersOf(refusals.deleteLabel);
    const answer = harness.gql<Deleted>(DELETE, { input });
    await hold.arrived;
    refusing = true;
    hold.release();
    const first = await answer;
    refusing = false;
    refusals.stillListed?.(decodeId(backupId).keys.at(-1) ?? '');
    const again = await harness.gql<Deleted>(DELETE, { input });
    return { first, again, deletes: running.server.count(refusals.deleteLabel) - deletesBefore };
  } finally {
    simulator.handle = handle;
  }
}

describe.each([
  {
    kind: 'onapp' as const,
    deleteLabel: 'DELETE /backups/:id.json',
    isListRead: (request: SimRequest) => request.method === 'GET' && /^\/virtual_machines\/\d+\/backups\.json$/.test(request.rawPath),
    refusal: (status: 403 | 404): SimResponse => ({ status, json: { errors: [status === 403 ? 'not permitted' : 'not found'] } }),
  },
  {
    kind: 'zomro' as const,
    deleteLabel: 'image.delete',
    isListRead: (request: SimRequest) => request.form.get('func') === 'instances.fleio_bckps',
    refusal: (status: 403 | 404): SimResponse => ({ status, text: status === 403 ? 'Forbidden' : 'Not Found' }),
  },
])('$kind: the read after a delete the provider took is refused', ({ kind, deleteLabel, isListRead, refusal }) => {
  let harness: Harness;
  let backupIds: string[];
  let refusals: Refusals;
  beforeAll(async () => {
    harness = await startHarness({ kinds: [kind], configure: [withProviderSettings({ coalesceReads: false, cacheTtlMs: 0 })] });
    refusals = { deleteLabel, isListRead, refusal };
    if (kind === 'zomro') {
      // The panel lists a backup while its delete runs: a second DELETE would reach it.
      (harness.simulator('zomro').simulator as ZomroSimulator).deleteDelayMs = 86_400_000;
    } else {
      const simulator = harness.simulator('onapp').simulator as OnappSimulator;
      const kept = new Map([...simulator.backups].map(([id, backup]) => [String(id), structuredClone(backup)]));
      refusals.stillListed = (nativeId) => {
        const backup = kept.get(nativeId);
        if (backup) simulator.backups.set(backup.id, structuredClone(backup));
      };
    }
    backupIds = await availableBackupIds(harness);
  });
  afterAll(() => harness.close());

  it.each([403, 404] as const)('a read refused %i: the delete answers its operation RUNNING, and the retry with its key replays it, no second DELETE', async (status) => {
    const backupId = status === 403 ? backupIds[0]! : backupIds[1]!;
    const { first, again, deletes } = await deleteThenRetry(harness, kind, refusals, backupId, status);
    expect(deletes).toBe(1);
    expect(first.errors).toBeUndefined();
    expect(first.data?.deleteBackup?.operation.status).toBe('RUNNING');
    expect(again.errors).toBeUndefined();
    expect(again.data?.deleteBackup?.operation.id).toBe(first.data?.deleteBackup?.operation.id);
  });
});

/**
 * The read after a delete the provider took times out: the delete was kept as a failure that may have
 * acted (one DELETE, the key held) but answered an error, where an OnApp create in the same case
 * answers its operation PENDING. A delete now answers its operation RUNNING, whatever failure of the
 * gateway's side ends that read. The read's answer is held at the simulator past the account's
 * timeoutMs: the gateway's own timer ends it, no sleep.
 */
describe.each([
  { kind: 'onapp' as const, deleteLabel: 'DELETE /backups/:id.json', listLabel: 'GET /virtual_machines/:id/backups.json' },
  { kind: 'zomro' as const, deleteLabel: 'image.delete', listLabel: 'instances.fleio_bckps' },
])('$kind: the read after a delete the provider took times out', ({ kind, deleteLabel, listLabel }) => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: [kind], configure: [withProviderSettings({ coalesceReads: false, cacheTtlMs: 0, retries: 0, timeoutMs: 1_000 })] });
    // The panel lists a backup while its delete runs: a second DELETE would reach it.
    if (kind === 'zomro') (harness.simulator('zomro').simulator as ZomroSimulator).deleteDelayMs = 86_400_000;
  });
  afterAll(() => harness.close());

  it('the delete answers its operation RUNNING, and the retry with its key replays it, no second DELETE', async () => {
    const [backupId] = await availableBackupIds(harness);
    const { server } = harness.simulator(kind);
    const input = { backupId: backupId!, idempotencyKey: randomUUID() };
    const deletesBefore = server.count(deleteLabel);
    const deleteHeld = server.holdAnswersOf(deleteLabel);
    const answer = harness.gql<Deleted>(DELETE, { input });
    await deleteHeld.arrived;
    const listHeld = server.holdAnswersOf(listLabel);
    deleteHeld.release();
    const first = await answer;
    listHeld.release();
    const again = await harness.gql<Deleted>(DELETE, { input });
    expect(server.count(deleteLabel) - deletesBefore).toBe(1);
    expect(first.errors).toBeUndefined();
    expect(first.data?.deleteBackup?.operation.status).toBe('RUNNING');
    expect(again.errors).toBeUndefined();
    expect(again.data?.deleteBackup?.operation.id).toBe(first.data?.deleteBackup?.operation.id);
  });
});
