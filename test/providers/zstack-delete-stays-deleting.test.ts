import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeId, encodeId } from '../../src/domain/ids.js';
import { DEFAULT_BACKUP_GIVE_UP_MS } from '../../src/providers/zstack/config.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';
import { NamedMemoryStore } from '../helpers/named-memory-store.js';
import { recordedAsStarted } from '../helpers/started-record.js';

const INSTANCES = '{ instances(first: 100) { edges { node { backups { id nativeId } } } } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error errorCode providerErrorCode } }';

/** An operation id as if it had been asked `ageMs` ago (the id carries its start). */
function agedBy(id: string, ageMs: number): string {
  const { providerId, keys } = decodeId(id);
  const [kind = '', startedAt = '', ...rest] = keys;
  return encodeId('Operation', providerId, [kind, String(Number(startedAt) - ageMs), ...rest]);
}

interface Polled {
  status: string;
  error: string | null;
  errorCode: string | null;
  providerErrorCode: string | null;
}

/**
 * A delete whose job reported success while ZStack still lists its group Deleting (the simulator's
 * `deletesStayDeleting`: the agent never reported the cleanup done) read RUNNING for ever: only a
 * delete whose job timed out or expired had the give-up (backupGiveUpMs). It now ends the same way:
 * FAILED saying it may still finish once backupGiveUpMs has passed, SUCCEEDED if the group goes.
 */
describe('zstack: a delete whose job succeeded but whose backup stays Deleting', () => {
  let harness: Harness;
  /** The gateway's store: an aged id is recorded there as its delete's mutation would have recorded it. */
  const store = new NamedMemoryStore();
  let simulator: ZstackSimulator;
  let backup: { id: string; nativeId: string };
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], store, configure: withProviderSettings({ cacheTtlMs: 0 }) });
    simulator = harness.simulator('zstack').simulator as ZstackSimulator;
    simulator.asyncDelayMs = 0;
    simulator.deletesStayDeleting = true;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { backups: Array<{ id: string; nativeId: string }> } }> } }>(INSTANCES);
    expect(answer.errors).toBeUndefined();
    backup = answer.data!.instances.edges.flatMap((edge) => edge.node.backups)[0]!;
  });
  afterAll(() => harness.close());

  const poll = async (id: string): Promise<Polled | undefined> => (await harness.gql<{ operation: Polled }>(OPERATION, { id })).data?.operation;

  it(`is RUNNING while Deleting, FAILED ${DEFAULT_BACKUP_GIVE_UP_MS / 60_000} minutes after it saying it may still finish, SUCCEEDED once the backup goes`, async () => {
    const deleted = await harness.gql<{ deleteBackup: { operation: { id: string } } }>(DELETE, { input: { backupId: backup.id } });
    expect(deleted.errors).toBeUndefined();
    const id = deleted.data!.deleteBackup.operation.id;
    const running = { status: 'RUNNING', error: null, errorCode: null, providerErrorCode: null };
    expect(await poll(id)).toEqual(running);
    // The job ended (its poll answered 200) and the group is still listed, Deleting.
    expect(simulator.volumeBackups.filter((volume) => volume.groupUuid === backup.nativeId).map((volume) => volume.status)).toContain('Deleting');
    expect(await poll(await recordedAsStarted(store, agedBy(id, DEFAULT_BACKUP_GIVE_UP_MS - 60_000)))).toEqual(running);
    const minutes = DEFAULT_BACKUP_GIVE_UP_MS / 60_000;
    expect(await poll(await recordedAsStarted(store, agedBy(id, DEFAULT_BACKUP_GIVE_UP_MS + 60_000)))).toEqual({
      status: 'FAILED',
      error: `ZStack still lists the backup as being deleted ${minutes} minutes after its delete (backupGiveUpMs), and its job reported success: it may still finish, so look at the VM's backups before deleting it again`,
      // No code: ZStack reported no error (as an expired delete's give-up).
      errorCode: null,
      providerErrorCode: null,
    });
    // Deleted after all: SUCCEEDED, as the message says it may.
    for (let index = simulator.volumeBackups.length - 1; index >= 0; index--) if (simulator.volumeBackups[index]!.groupUuid === backup.nativeId) simulator.volumeBackups.splice(index, 1);
    expect((await poll(await recordedAsStarted(store, agedBy(id, DEFAULT_BACKUP_GIVE_UP_MS + 60_000))))?.status).toBe('SUCCEEDED');
    expect((await poll(id))?.status).toBe('SUCCEEDED');
  });
});
