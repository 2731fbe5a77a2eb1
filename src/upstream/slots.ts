import { BulkheadRejectedError } from 'cockatiel';

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * Whose waiters share a turn: the client whose request caused the call (see
 * UpstreamScope.client), or, undefined, all work no client caused (operation
 * polls, protection sweeps, start-up checks).
 */
export type SlotOwner = string | undefined;

/**
 * The per-account concurrency cap: at most `capacity` attempts in flight,
 * up to `queueCapacity` more waiting. Unlike cockatiel's bulkhead, a waiter
 * whose request is aborted leaves the queue at once instead of when its turn
 * comes. A freed slot goes to the owners in turn (first come, first served
 * within each), not to the oldest waiter: one queue in arrival order let a
 * viewer's request of 1,000 made-up ids put 1,000 calls ahead of every other
 * client's. Turns are by client, not by request: many requests of one client
 * (the identical dashboards of a wall screen) keep the one arrival order, in
 * which their identical reads wait long enough to be coalesced (a turn per
 * request halved that sharing; docs/benchmark-history.md).
 */
export class Slots {
  private active = 0;
  private queued = 0;
  /** Each owner's waiters in arrival order; the Map's order is the turn (the owner served last goes to the end). */
  private readonly lines = new Map<SlotOwner, Waiter[]>();

  constructor(
    private readonly capacity: number,
    private readonly queueCapacity: number,
    /** The error for a waiter whose signal fired. */
    private readonly cancelled: () => Error,
  ) {}

  /** Requests waiting for a slot now. */
  get waiting(): number {
    return this.queued;
  }

  /** Resolves when a slot is held; the caller must `release()` it exactly once. */
  acquire(signal: AbortSignal | undefined, owner: SlotOwner = undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(this.cancelled());
    if (this.active < this.capacity) {
      this.active += 1;
      return Promise.resolve();
    }
    if (this.queued >= this.queueCapacity) return Promise.reject(new BulkheadRejectedError(this.capacity, this.queueCapacity));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.leave(owner, waiter);
          reject(this.cancelled());
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      const line = this.lines.get(owner);
      if (line) line.push(waiter);
      else this.lines.set(owner, [waiter]);
      this.queued += 1;
    });
  }

  /** Hands the slot to the first waiter of the owner whose turn it is, or frees it. */
  release(): void {
    const next = this.nextInTurn();
    if (!next) {
      this.active -= 1;
      return;
    }
    next.signal?.removeEventListener('abort', next.onAbort);
    next.resolve();
  }

  private nextInTurn(): Waiter | undefined {
    // Lines are never left empty in the map, so the first one has a waiter.
    const first = this.lines.entries().next();
    if (first.done) return undefined;
    const [owner, line] = first.value;
    const next = line.shift();
    this.lines.delete(owner);
    if (line.length > 0) this.lines.set(owner, line);
    this.queued -= 1;
    return next;
  }

  private leave(owner: SlotOwner, waiter: Waiter): void {
    const line = this.lines.get(owner);
    const index = line ? line.indexOf(waiter) : -1;
    if (!line || index < 0) return;
    line.splice(index, 1);
    this.queued -= 1;
    if (line.length === 0) this.lines.delete(owner);
  }
}
