import { describe, expect, it } from 'vitest';
import { closeAll } from '../../src/state/close-redis.js';

describe('closeAll: closing the store and the bus side by side at shutdown', () => {
  it('waits for every close, including those after a failed one', async () => {
    let lateClosed = false;
    const late = new Promise<void>((resolve) => setImmediate(() => ((lateClosed = true), resolve())));
    await expect(closeAll([Promise.reject(new Error('store: no answer')), late])).rejects.toThrow('store: no answer');
    expect(lateClosed).toBe(true);
  });

  it('names every failure in one error, and resolves when none failed (an absent bus included)', async () => {
    await expect(closeAll([Promise.reject(new Error('bus: no answer')), Promise.reject(new Error('store: no answer'))])).rejects.toThrow('bus: no answer; store: no answer');
    await expect(closeAll([Promise.reject('plain words')])).rejects.toThrow('plain words');
    await expect(closeAll([undefined, Promise.resolve()])).resolves.toBeUndefined();
  });
});
