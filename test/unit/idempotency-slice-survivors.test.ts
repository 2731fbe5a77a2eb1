import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { Idempotency } from '../../src/gateway/idempotency.js';
import { RecordingStore } from './recording-store.js';

/** The record's key as Idempotency names it: SHA-256 of owner and key. */
const recordKey = (owner: string, key: string): string => createHash('sha256').update(`${owner}\n${key}`).digest('hex');

describe('idempotency keys, what the mutation run of run/claim/record found untested', () => {
  it('a retry with another input, on the replica where the first request is acting, is CONFLICT', async () => {
    const idempotency = new Idempotency(new RecordingStore());
    let finish: (value: string) => void = () => {};
    let acted = false;
    const first = idempotency.run('c', 'k', 'op', { n: 1 }, () => {
      acted = true;
      return new Promise<string>((resolve) => (finish = resolve));
    });
    // Once the first acts its claim is held here: the retry is answered from this process, not the store.
    await vi.waitFor(() => expect(acted).toBe(true));
    let actedAgain = 0;
    await expect(idempotency.run('c', 'k', 'op', { n: 2 }, async () => `again-${++actedAgain}`)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(actedAgain).toBe(0);
    finish('first');
    expect(await first).toBe('first');
  });

  it('an answer whose claim was lost, the key then holding another request’s refusal, is recorded over it: a retry replays it, never acts', async () => {
    const store = new RecordingStore();
    const claimLost: string[] = [];
    const first = await new Idempotency(store).run(
      'c',
      'k',
      'createBackup',
      { name: 'n' },
      async () => {
        // The store lost this claim meanwhile; another request claimed the key and was refused without acting.
        await store.set(recordKey('c', 'k'), { fingerprint: 'another', state: 'refused', claim: randomUUID(), failure: { code: 'PROVIDER_ERROR', message: 'refused', details: {} } }, 60_000);
        return 'made once';
      },
      { onClaimLost: () => claimLost.push('lost') },
    );
    expect(first).toBe('made once');
    expect(claimLost).toEqual(['lost']);
    let actedAgain = 0;
    expect(await new Idempotency(store).run('c', 'k', 'createBackup', { name: 'n' }, async () => `again-${++actedAgain}`)).toBe('made once');
    expect(actedAgain).toBe(0);
  });
});
