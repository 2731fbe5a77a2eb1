import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { RedisStore } from '../../src/state/redis-store.js';
import type { KeyValueStore } from '../../src/state/store.js';
import { dashboardNodes } from '../helpers/dashboard.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { around, mutate } from '../helpers/started-by-mutation.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const SYNC = 'mutation($input: SyncBackupsInput!) { syncBackups(input: $input) { operation { id status } } }';

/**
 * An operation whose status rests on the gateway's record of starting it reads NOT_FOUND without
 * one. Without REDIS_URL that record lives in the process, so after a restart a real operation
 * reads so too: the words say why there, and only there (with Redis the record outlives a restart).
 */
async function wordsOfAnUnrecordedRead(store?: KeyValueStore): Promise<{ code: unknown; message: string }> {
  const harness: Harness = await startHarness({ kinds: ['zstack'], ...(store ? { store } : {}) });
  try {
    // Jobs run until the test ends: the sync id written around the create's job is read from it.
    (harness.simulator('zstack').simulator as ZstackSimulator).asyncDelayMs = 600_000;
    const [vm] = await dashboardNodes(harness);
    const created = await mutate(harness, CREATE, { instanceId: vm!.id, name: 'words' });
    const synced = await mutate(harness, SYNC, { providerId: harness.providerId('zstack') });
    const answer = await harness.gql(OPERATION, { id: around(synced.ref, created.ref) });
    const error = answer.errors?.[0];
    return { code: error?.extensions?.code, message: String(error?.message) };
  } finally {
    await harness.close();
  }
}

describe('the words of an operation the gateway has no record of starting', () => {
  it('say that a gateway without REDIS_URL forgets what it started when it restarts', async () => {
    const told = await wordsOfAnUnrecordedRead();
    expect(told.code).toBe('NOT_FOUND');
    expect(told.message).toContain('without REDIS_URL');
    expect(told.message).toContain('a restart forgets it');
  });

  it("say where to look next: the instance's backups, or its status for a restore (they named no next step)", async () => {
    const told = await wordsOfAnUnrecordedRead();
    expect(told.message).toContain("list the instance's backups");
    expect(told.message).toContain("read the instance's status");
  });

  it('do not, with Redis: the record outlives a restart', async () => {
    const redis = new RedisStore(REDIS_URL, `bg-test-${randomUUID()}:`);
    await redis.ready();
    // The harness closes the store it was given.
    const told = await wordsOfAnUnrecordedRead(redis);
    expect(told.code).toBe('NOT_FOUND');
    expect(told.message).not.toContain('REDIS_URL');
  });
});
