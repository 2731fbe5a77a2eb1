import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { Idempotency } from '../../src/gateway/idempotency.js';
import { RecordingStore } from './recording-store.js';

/**
 * A key holding another input's refusal (refused without acting) is free: a request with another
 * input takes it over, not "used with a different input". Should another request take it first
 * (the take-over's compare-and-set loses), the request looks again and takes it then.
 */
class LosesOneTakeOver extends RecordingStore {
  losing = false;
  override async replaceIfEqual<T>(key: string, holding: T, value: unknown, ttlMs: number): Promise<boolean> {
    if (this.losing) {
      this.losing = false;
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
});
