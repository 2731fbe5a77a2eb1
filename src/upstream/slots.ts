import { BulkheadRejectedError } from 'cockatiel';

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * The per-account concurrency cap: at most `capacity` attempts in flight,
 * up to `queueCapacity` more waiting in order. Unlike cockatiel's bulkhead, a
 * waiter whose request is aborted leaves the queue at once instead of when
 * its turn comes.
 */
export class Slots {
  private active = 0;
  private readonly queue: Waiter[] = [];

  constructor(
    private readonly capacity: number,
    private readonly queueCapacity: number,
    /** The error for a waiter whose signal fired. */
    private readonly cancelled: () => Error,
  ) {}

  /** Requests waiting for a slot now. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Resolves when a slot is held; the caller must `release()` it exactly once. */
  acquire(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(this.cancelled());
    if (this.active < this.capacity) {
      this.active += 1;
      return Promise.resolve();
    }
    if (this.queue.length >= this.queueCapacity) return Promise.reject(new BulkheadRejectedError(this.capacity, this.queueCapacity));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(this.cancelled());
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  /** Hands the slot to the next waiter, or frees it. */
  release(): void {
    const next = this.queue.shift();
    if (!next) {
      this.active -= 1;
      return;
    }
    next.signal?.removeEventListener('abort', next.onAbort);
    next.resolve();
  }
}
