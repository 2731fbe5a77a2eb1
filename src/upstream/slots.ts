import { BulkheadRejectedError } from 'cockatiel';
import { FlightTurns } from './flight-turns.js';
import { groupTurnOf } from './turn-within.js';

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

/** One owner's waiters in arrival order. */
type Line = Waiter[];
/** A group's members' lines (turnWithin); the Map's order is their turn within the group's. */
type Group = Map<SlotOwner, Line>;

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
 * each client it is for (FlightTurns) and goes out in whichever turn comes first. Turns nest one
 * level: an owner made by `turnWithin` (an anonymous IPv6 caller's /64 within its /48, an IPv4
 * caller's address within its /24) takes its turn within its group's, so a group's many members
 * together take one turn at the top level.
 */
export class Slots {
  private active = 0;
  private queued = 0;
  /**
   * Each owner's line, or each group's members' lines, keyed by owner or group (`groupTurnOf`);
   * the Map's order is the turn (the one served last goes to the end).
   */
  private readonly turns = new Map<SlotOwner, Line | Group>();

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
    // Lines and groups are never left empty in the maps, so the first turn has a waiter.
    const first = this.turns.entries().next();
    if (first.done) return undefined;
    const [key, turn] = first.value;
    const next = turn instanceof Map ? takeFirst(turn) : (turn.shift() as Waiter);
    // The group or owner served goes to the end of the turn, if it still waits.
    this.turns.delete(key);
    if ((turn instanceof Map ? turn.size : turn.length) > 0) this.turns.set(key, turn);
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

  /** Puts a waiter at the end of `owner`'s line, within its group's turn if it has one; FlightTurns names each client once. */
  private enter(owner: SlotOwner, waiter: Waiter): void {
    waiter.owners.push(owner);
    const groupKey = groupTurnOf(owner);
    let lines: Map<SlotOwner, Line | Group> = this.turns;
    if (groupKey !== null) {
      const group = this.turns.get(groupKey);
      if (group instanceof Map) lines = group;
      else this.turns.set(groupKey, (lines = new Map<SlotOwner, Line>()));
    }
    const line = lines.get(owner);
    if (Array.isArray(line)) line.push(waiter);
    else lines.set(owner, [waiter]);
  }

  /** Takes a waiter out of every line it is in; once (a waiter in no line has left). */
  private leave(waiter: Waiter): void {
    if (waiter.owners.length === 0) return;
    for (const owner of waiter.owners) {
      const groupKey = groupTurnOf(owner);
      const group = groupKey === null ? undefined : this.turns.get(groupKey);
      const lines = group instanceof Map ? group : this.turns;
      const line = lines.get(owner);
      const index = Array.isArray(line) ? line.indexOf(waiter) : -1;
      if (!Array.isArray(line) || index < 0) continue;
      line.splice(index, 1);
      if (line.length > 0) continue;
      lines.delete(owner);
      // A group whose every member has left loses its place in the turn, as an owner's line does.
      if (groupKey !== null && group instanceof Map && group.size === 0) this.turns.delete(groupKey);
    }
    waiter.owners = [];
    waiter.turns?.whileQueued(null);
    this.queued -= 1;
  }
}

/** The first waiter of a group's member whose turn it is; that member goes to the end of the group's turn if it still waits. */
function takeFirst(group: Group): Waiter {
  const [owner, line] = group.entries().next().value as [SlotOwner, Line];
  const next = line.shift() as Waiter;
  group.delete(owner);
  if (line.length > 0) group.set(owner, line);
  return next;
}
