import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { fingerprint, Idempotency } from '../../src/gateway/idempotency.js';
import { RecordingStore } from './recording-store.js';

/**
 * A key holding another input's refusal (refused without acting) is free: a request with another
 * input takes it over, not "used with a different input". Should another request take it first
 * (the take-over's compare-and-set loses), the request looks again and takes it then.
 */
class LosesOneTakeOver extends RecordingStore {
  losing = false;
  /** What the request that won did to the key. */
  winner: (() => Promise<void>) | null = null;
  override async replaceIfEqual<T>(key: string, holding: T, value: unknown, ttlMs: number): Promise<boolean> {
    if (this.losing) {
      this.losing = false;
      await this.winner?.();
      return false;
    }
    return super.replaceIfEqual(key, holding, value, ttlMs);
  }
}

describe('a refusal of another input, its take-over lost once', () => {
  it('is looked at again and taken, not CONFLICT', async () => {
    const store = new LosesOneTakeOver();
    const refusal = new GatewayError('PROVIDER_ERROR', 'refused', { providerCode: 'SYS.1006' });
    await expect(new Idempotency(store).run('c', 'k', 'createBackup', { name: 'first' }, () => Promise.reject(refusal))).rejects.toBe(refusal);
    store.losing = true;
    expect(await new Idempotency(store).run('c', 'k', 'createBackup', { name: 'second' }, async () => 'acted')).toBe('acted');
    expect(store.losing).toBe(false);
  });

  it('lost to another request that claimed the key first: waits on that one and gets its answer, never acts', async () => {
    const store = new LosesOneTakeOver();
    const refusal = new GatewayError('PROVIDER_ERROR', 'refused', { providerCode: 'SYS.1006' });
    await expect(new Idempotency(store).run('c', 'k', 'createBackup', { name: 'first' }, () => Promise.reject(refusal))).rejects.toBe(refusal);
    const key = createHash('sha256').update('c\nk').digest('hex');
    const print = fingerprint('createBackup', { name: 'second' });
    // The take-over's compare-and-set loses to a live request with the same input that took the refusal over first.
    store.losing = true;
    store.winner = async () => {
      await store.set('live:another', 1, 60_000);
      await store.set(key, { fingerprint: print, state: 'pending', claim: 'another', lease: true }, 60_000);
    };
    let acted = 0;
    const retry = new Idempotency(store).run('c', 'k', 'createBackup', { name: 'second' }, async () => `acted-${++acted}`).catch((error: unknown) => error);
    await vi.waitFor(() => expect(store.calls.some((call) => call.method === 'get' && call.keys[0] === 'live:another')).toBe(true));
    await store.set(key, { fingerprint: print, state: 'done', result: 'their answer', claim: 'another' }, 60_000);
    expect(await retry).toBe('their answer');
    expect(acted).toBe(0);
  });
});
