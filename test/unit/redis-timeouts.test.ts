import { describe, expect, it } from 'vitest';
import { REDIS_COMMAND_TIMEOUT_MS, closeDeadline } from '../../src/state/redis-timeouts.js';

describe('closeDeadline: when a shutdown that talks to Redis must have its QUIT answered', () => {
  it('is one command timeout from now: time for the lease releases and unsubscribes ahead of it, never in the past', () => {
    const before = Date.now();
    const deadline = closeDeadline();
    const after = Date.now();
    expect(deadline).toBeGreaterThanOrEqual(before + REDIS_COMMAND_TIMEOUT_MS);
    expect(deadline).toBeLessThanOrEqual(after + REDIS_COMMAND_TIMEOUT_MS);
    expect(REDIS_COMMAND_TIMEOUT_MS).toBeGreaterThan(0);
  });
});
