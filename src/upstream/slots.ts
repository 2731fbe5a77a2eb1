import { BulkheadRejectedError } from 'cockatiel';
import { FlightTurns } from './flight-turns.js';

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
  /** The lines it waits in: one, or each client of a coalesced read (FlightTurns). */
  owners: SlotOwner[];
  turns: FlightTurns | null;
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
 * request halved that sharing; docs/benchmark-history.md). A coalesced read waits in the line of
 * each client it is for (FlightTurns) and goes out in whichever turn comes first.
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
  acquire(signal: AbortSignal | undefined, owner: SlotOwner | FlightTurns = undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(this.cancelled());
    if (this.active < this.capacity) {
      this.active += 1;
      return Promise.resolve();
    }
    if (this.queued >= this.queueCapacity) return Promise.reject(new BulkheadRejectedError(this.capacity, this.queueCapacity));
    return new Promise<void>((resolve, reject) => {
      const turns = owner instanceof FlightTurns ? owner : null;
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          this.leave(waiter);
          reject(this.cancelled());
        },
        owners: [],
        turns,
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      for (const each of turns ? turns.owners() : [owner as SlotOwner]) this.enter(each, waiter);
      turns?.whileQueued((joining) => this.enter(joining, waiter));
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
    const next = line.shift() as Waiter;
    this.lines.delete(owner);
    if (line.length > 0) this.lines.set(owner, line);
    // Served in this client's turn: out of the other lines of a coalesced read too (not in this one any more).
    if (next.owners.length > 1) {
      this.leave(next);
    } else {
      next.owners = [];
      next.turns?.whileQueued(null);
      this.queued -= 1;
    }
    return next;
  }

  /** Puts a waiter at the end of `owner`'s line; FlightTurns names each client once. */
  private enter(owner: SlotOwner, waiter: Waiter): void {
    waiter.owners.push(owner);
    const line = this.lines.get(owner);
    if (line) line.push(waiter);
    else this.lines.set(owner, [waiter]);
  }

  /** Takes a waiter out of every line it is in; once (a waiter in no line has left). */
  private leave(waiter: Waiter): void {
    if (waiter.owners.length === 0) return;
    for (const owner of waiter.owners) {
      const line = this.lines.get(owner);
      const index = line ? line.indexOf(waiter) : -1;
      if (!line || index < 0) continue;
      line.splice(index, 1);
      if (line.length === 0) this.lines.delete(owner);
    }
    waiter.owners = [];
    waiter.turns?.whileQueued(null);
    this.queued -= 1;
  }
}
