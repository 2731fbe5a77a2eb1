import { growingLru } from '../state/growing-lru.js';

/** Keys remembered held at most; the least recently seen forgotten first (they are asked of the shared store again). */
const MAX_HELD = 50_000;

/**
 * Keys a shared counter (src/state/shared-counter.ts) found over their limit, each until its
 * window ends: a check that cannot wait for Redis (a WebSocket operation, a connection_init)
 * refuses them from here, and one that can is spared the round trip.
 */
export class HeldKeys {
  private readonly until = growingLru<string, number>(MAX_HELD);

  constructor(private readonly nowMs: () => number) {}

  hold(key: string, forMs: number): void {
    if (forMs > 0) this.until.set(key, this.nowMs() + forMs);
  }

  /** Milliseconds `key` is still held for; 0 when it is not. */
  heldFor(key: string): number {
    const until = this.until.get(key);
    if (until === undefined) return 0;
    const left = until - this.nowMs();
    if (left > 0) return left;
    this.until.delete(key);
    return 0;
  }
}
