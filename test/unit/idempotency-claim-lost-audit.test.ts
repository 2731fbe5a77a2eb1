import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Idempotency } from '../../src/gateway/idempotency.js';
import { runMutation } from '../../src/gateway/mutation-runner.js';
import type { Principal } from '../../src/gateway/principal.js';
import { MemoryStore } from '../../src/state/memory-store.js';

const principal: Principal = { name: 'ops', keyId: 'key-of-ops', roles: new Set(['admin']), providers: null };
const storeKey = createHash('sha256').update(`${principal.keyId}\nk1`).digest('hex');

/** The audit lines of one mutation run over `store`, whose `act` runs `during` while it acts. */
async function auditOf(store: MemoryStore, during: () => Promise<void>): Promise<Array<Record<string, unknown>>> {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const audit = pino({}, sink);
  const act = async () => {
    await during();
    return { deletedId: 'D1' };
  };
  await runMutation({ idempotency: new Idempotency(store), audit, principal, requestId: 'r1', authorize: () => {} }, 'deleteBackupDefinition', { definitionId: 'x', idempotencyKey: 'k1' }, act);
  return lines;
}

describe("a mutation's audit line when its idempotency claim vanished from the store while it acted", () => {
  it('says so (a retry may have acted too), and says nothing of it otherwise', async () => {
    const flushed = new MemoryStore();
    const [lost] = await auditOf(flushed, () => flushed.delete(storeKey));
    expect(lost).toMatchObject({ outcome: 'ok', idempotencyClaimLost: true });
    const [kept] = await auditOf(new MemoryStore(), async () => {});
    expect(kept).toMatchObject({ outcome: 'ok' });
    expect(kept).not.toHaveProperty('idempotencyClaimLost');
  });
});
