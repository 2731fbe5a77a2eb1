import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Idempotency, RECORD_WRITE_LOOKS } from '../../src/gateway/idempotency.js';
import { RecordingStore } from './recording-store.js';

const OWNER = 'c';
const KEY = 'k';
/** The record's key as Idempotency names it: SHA-256 of owner and key. */
const RECORD_KEY = createHash('sha256').update(`${OWNER}\n${KEY}`).digest('hex');

const anotherClaim = (): Record<string, unknown> => ({ fingerprint: 'another', state: 'pending', claim: randomUUID(), lease: true });

/**
 * A store where other replicas keep claiming the key: each conditional write to it finds the key
 * changed since the look before it, until `changesLeft` runs out (so a write that never gave up
 * still ends, and the test can count its looks rather than hang).
 */
class ChurningStore extends RecordingStore {
  changesLeft = 0;
  looks = 0;
  counting = false;

  override async get<T>(key: string): Promise<T | undefined> {
    if (this.counting && key === RECORD_KEY) this.looks++;
    return super.get<T>(key);
  }

  override async replaceIfEqual<T>(key: string, holding: T, value: unknown, ttlMs: number): Promise<boolean> {
    await this.changeUnderfoot(key);
    return super.replaceIfEqual(key, holding, value, ttlMs);
  }

  override async setIfAbsent<T>(key: string, value: T, ttlMs: number): Promise<boolean> {
    await this.changeUnderfoot(key);
    return super.setIfAbsent(key, value, ttlMs);
  }

  private async changeUnderfoot(key: string): Promise<void> {
    if (key !== RECORD_KEY || this.changesLeft === 0) return;
    this.changesLeft--;
    // A round trip's worth of wait, as over the network: timers (the store wait) still run.
    await new Promise((resolve) => setImmediate(resolve));
    await super.set(key, anotherClaim(), 60_000);
  }
}

/** Runs a mutation whose claim the store loses while it acts, the key then changing under each look for `changes` writes. */
async function runWithLostClaim(store: ChurningStore, changes: number): Promise<{ answer: string; storeErrors: unknown[]; claimLost: number }> {
  const storeErrors: unknown[] = [];
  let claimLost = 0;
  const answer = await new Idempotency(store, (error) => storeErrors.push(error)).run(
    OWNER,
    KEY,
    'createBackup',
    { name: 'n' },
    async () => {
      await store.set(RECORD_KEY, anotherClaim(), 60_000);
      store.changesLeft = changes;
      store.counting = true;
      return 'made once';
    },
    { onClaimLost: () => void claimLost++ },
  );
  return { answer, storeErrors, claimLost };
}

describe('idempotency: the record of a lost claim, written over a key other requests keep changing', () => {
  it(`gives up after ${RECORD_WRITE_LOOKS} looks: the answer goes out, no store failure is reported, the key is left to the other request`, async () => {
    const store = new ChurningStore();
    const { answer, storeErrors, claimLost } = await runWithLostClaim(store, 100);
    expect(answer).toBe('made once');
    expect(claimLost).toBe(1);
    // A write that kept looking would either report the store as failed at its wait or, here, run until the churn stops.
    expect(storeErrors).toEqual([]);
    expect(store.looks).toBe(RECORD_WRITE_LOOKS);
    expect(await store.get<{ fingerprint: string; state: string }>(RECORD_KEY)).toMatchObject({ fingerprint: 'another', state: 'pending' });
  });

  it('writes the record at the last look when the key settles before it: a retry replays the answer, never acts', async () => {
    const store = new ChurningStore();
    // The write in place of its own claim, then every look but the last, find the key changed.
    const { answer, storeErrors } = await runWithLostClaim(store, 1 + (RECORD_WRITE_LOOKS - 1));
    expect(answer).toBe('made once');
    expect(storeErrors).toEqual([]);
    expect(store.looks).toBe(RECORD_WRITE_LOOKS);
    let actedAgain = 0;
    expect(await new Idempotency(store).run(OWNER, KEY, 'createBackup', { name: 'n' }, async () => `again-${++actedAgain}`)).toBe('made once');
    expect(actedAgain).toBe(0);
  });
});
