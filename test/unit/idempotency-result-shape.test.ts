import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IDEMPOTENCY_TTL_MS, Idempotency, fingerprint } from '../../src/gateway/idempotency.js';
import { runMutation } from '../../src/gateway/mutation-runner.js';
import type { Principal } from '../../src/gateway/principal.js';
import { createLogger } from '../../src/observability/logger.js';
import { MemoryStore } from '../../src/state/memory-store.js';

const principal: Principal = { name: 'ops', keyId: 'key-of-ops', roles: new Set(['admin']), providers: null };
const storeKey = createHash('sha256').update(`${principal.keyId}\nk1`).digest('hex');

const operation = {
  providerId: 'p',
  kind: 'CREATE_BACKUP',
  startedAt: new Date('2026-12-01T00:00:00Z'),
  instanceNativeId: 'vm-1',
  backupNativeId: null,
  token: ['nightly'],
  status: 'RUNNING',
  finishedAt: null,
  error: null,
  providerOperationId: null,
};

/** createBackup replayed from `result`, recorded under this version's fingerprint of its input. */
async function replayOf(name: string, input: Record<string, unknown>, result: unknown): Promise<unknown> {
  const store = new MemoryStore();
  await store.set(storeKey, { fingerprint: fingerprint(name, input), state: 'done', result }, IDEMPOTENCY_TTL_MS);
  let acted = 0;
  const answer = runMutation(
    { idempotency: new Idempotency(store), audit: createLogger('silent'), principal, requestId: 'r1', authorize: () => {} },
    name,
    { ...input, idempotencyKey: 'k1' },
    async () => ++acted,
  );
  return answer.finally(() => expect(acted).toBe(0));
}

const refused = { code: 'CONFLICT', message: expect.stringContaining('the first request with it may have acted') };

describe("a mutation's recorded answer of another version's shape (right envelope, other fields)", () => {
  it.each<[string, string, unknown]>([
    ['an operation without its fields', 'createBackup', { operation: {}, backup: null }],
    ['an operation whose startedAt is text', 'deleteBackup', { operation: { ...operation, startedAt: '2026-12-01T00:00:00Z' }, backup: null }],
    ['no operation', 'syncBackups', { provider: 'p' }],
    ['a backup of another shape', 'createBackup', { operation, backup: { nativeId: 'b1' } }],
    ['a schedule payload without its schedule', 'createBackupSchedule', { id: 'S1' }],
    ['a deletedId that is no text', 'deleteBackupSchedule', { deletedId: 7 }],
    ['createBackups items without instance ids', 'createBackups', { results: [{ operation }], createdCount: 1, failedCount: 0 }],
    ['createBackups without counts', 'createBackups', { results: [] }],
  ])('%s is CONFLICT (the first request may have acted), not INTERNAL_SERVER_ERROR field by field', async (_name, mutation, result) => {
    await expect(replayOf(mutation, { instanceId: 'x' }, result)).rejects.toMatchObject(refused);
  });

  it("replays this version's own answers", async () => {
    expect(await replayOf('createBackup', { instanceId: 'x' }, { operation, backup: null })).toEqual({ operation, backup: null });
    expect(await replayOf('cancelOperation', { operationId: 'x' }, { operation: { ...operation, backupKeyExtra: ['d'] } })).toMatchObject({ operation });
    expect(await replayOf('deleteBackupDefinition', { definitionId: 'x' }, { deletedId: 'D1' })).toEqual({ deletedId: 'D1' });
    const bulk = { results: [{ instanceId: 'I1', operation, error: null }, { instanceId: 'I2', operation: null, error: { code: 'NOT_FOUND', message: 'instance not found' } }], createdCount: 1, failedCount: 1 };
    expect(await replayOf('createBackups', { instanceIds: ['I1', 'I2'] }, bulk)).toEqual(bulk);
  });
});
