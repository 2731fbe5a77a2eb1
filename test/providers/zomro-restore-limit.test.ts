import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeOperationId, operationId } from '../../src/gateway/ids.js';
import { restoreOutcomeKey } from '../../src/providers/zomro/adapter.js';
import { DEFAULT_RESTORE_GIVE_UP_MS } from '../../src/providers/zomro/config.js';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { KeptOutcomes, RESTORE_OUTCOMES_NAMESPACE } from '../../src/state/kept-outcomes.js';
import { type Harness, startHarness, withHarness, withProviderSettings } from '../helpers/harness.js';
import { NamedMemoryStore } from '../helpers/named-memory-store.js';

/**
 * A Zomro restore follows the VM's cloud word (`fotbo_status`) until it rests. Words that never
 * rest kept it RUNNING for ever: it now gives up after restoreGiveUpMs, and a mode only a person
 * ends (rescue, booted from ISO, shelved) ends it once a resting word may be read.
 */

const SETTLE_MS = 600_000;
const LIST = '{ instances(first: 1000) { edges { node { id nativeId backups { id status } } } } }';
const RESTORE = 'mutation($input: RestoreBackupInput!) { restoreBackup(input: $input) { operation { id } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';

/**
 * `id` as if its restore had been asked `ageMs` ago (the id carries its start), marked started in
 * the gateway's store as that restore's mutation would have marked it: the gateway answers no
 * restore it did not mark. A millisecond more each time, so no poll finds another's kept outcome.
 */
let aged = 0;
async function agedBy(store: NamedMemoryStore, id: string, ageMs: number): Promise<string> {
  const ref = decodeOperationId(id);
  const older = { ...ref, startedAt: new Date(ref.startedAt.getTime() - ageMs - ++aged) };
  await new KeptOutcomes(store.namespaceNamed(RESTORE_OUTCOMES_NAMESPACE)).started(restoreOutcomeKey(older));
  return operationId(older);
}

interface Node {
  id: string;
  nativeId: string;
  backups: Array<{ id: string; status: string }>;
}

describe('zomro restore: a word that never rests ends it', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  /** The restore's operation id, as restoreBackup answered it. */
  let restoreId: string;

  const store = new NamedMemoryStore();
  const poll = async (ageMs: number) => (await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id: await agedBy(store, restoreId, ageMs) })).data?.operation;

  beforeAll(async () => {
    // The rebuild lasts a day: the cloud shows rebuildWord all through this file.
    harness = await startHarness({ kinds: ['zomro'], store, simulator: { asyncDelayMs: 86_400_000 }, configure: withProviderSettings({ cacheTtlMs: 0, restoreSettleMs: SETTLE_MS }) });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    const list = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
    const node = list.data!.instances.edges.map((edge) => edge.node)[3]!;
    const backup = node.backups.find((item) => item.status === 'AVAILABLE')!;
    const restored = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: backup.id, confirm: true } });
    expect(restored.errors).toBeUndefined();
    restoreId = restored.data!.restoreBackup.operation.id;
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    simulator.rebuildWord = 'rebuilding';
  });

  it('a rebuild still running after the give-up limit is FAILED, naming the word and the limit', async () => {
    expect(await poll(0)).toEqual({ status: 'RUNNING', error: null });
    expect(await poll(DEFAULT_RESTORE_GIVE_UP_MS - 60_000)).toEqual({ status: 'RUNNING', error: null });
    expect(await poll(DEFAULT_RESTORE_GIVE_UP_MS + 60_000)).toEqual({
      status: 'FAILED',
      error: `the instance has not come to rest within ${DEFAULT_RESTORE_GIVE_UP_MS / 60_000} minutes of the restore: it still shows "rebuilding"`,
    });
  });

  it('so is a word nobody documents', async () => {
    simulator.rebuildWord = 'hibernating';
    expect(await poll(DEFAULT_RESTORE_GIVE_UP_MS - 60_000)).toEqual({ status: 'RUNNING', error: null });
    expect((await poll(DEFAULT_RESTORE_GIVE_UP_MS + 60_000))?.error).toContain('it still shows "hibernating"');
  });

  it('rescued, booted_from_iso and shelved end it FAILED once settled, saying what a person must end', async () => {
    for (const [word, mode] of [['rescued', 'in rescue mode'], ['booted_from_iso', 'booted from an ISO image'], ['shelved', 'shelved']] as const) {
      simulator.rebuildWord = word;
      // The word may be the one from before the rebuild began: not read before restoreSettleMs.
      expect(await poll(0), word).toEqual({ status: 'RUNNING', error: null });
      const failed = await poll(SETTLE_MS + 60_000);
      expect(failed?.status, word).toBe('FAILED');
      expect(failed?.error, word).toContain(`the instance is ${mode} ("${word}"), which only a person ends in the panel`);
    }
  });

  it("quotes no hostile word: a long one with control characters is not copied into the error", async () => {
    simulator.rebuildWord = `rebuild\u001b[2J${'x'.repeat(5_000)}`;
    const failed = await poll(DEFAULT_RESTORE_GIVE_UP_MS + 60_000);
    expect(failed?.status).toBe('FAILED');
    expect(failed?.error).toBe(`the instance has not come to rest within ${DEFAULT_RESTORE_GIVE_UP_MS / 60_000} minutes of the restore: it still shows a word that is no plain status`);
  });
});

describe('zomro restore: restoreGiveUpMs', () => {
  it('an account may set its own limit (an hour here)', async () => {
    const store = new NamedMemoryStore();
    await withHarness({ kinds: ['zomro'], store, simulator: { asyncDelayMs: 86_400_000 }, configure: withProviderSettings({ cacheTtlMs: 0, restoreSettleMs: SETTLE_MS, restoreGiveUpMs: 3_600_000 }) }, async (harness) => {
      const list = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(LIST);
      const backup = list.data!.instances.edges[3]!.node.backups.find((item) => item.status === 'AVAILABLE')!;
      const restored = await harness.gql<{ restoreBackup: { operation: { id: string } } }>(RESTORE, { input: { backupId: backup.id, confirm: true } });
      const id = await agedBy(store, restored.data!.restoreBackup.operation.id, 3_600_000 + 60_000);
      expect((await harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id })).data?.operation).toEqual({
        status: 'FAILED',
        error: 'the instance has not come to rest within 60 minutes of the restore: it still shows "rebuilding"',
      });
    });
  });
});
