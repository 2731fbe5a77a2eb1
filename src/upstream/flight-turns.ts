import type { SlotOwner } from './slots.js';

/**
 * The clients a coalesced read is for: the one that started it and each that joined it. The read
 * waits for a slot in every one of their turns and goes out at the first that comes
 * (src/upstream/slots.ts). In its starter's turn alone, a client that had queued 1,000 calls and
 * among them a read others need (an account's list, a dashboard's instance) held every client
 * that joined that read behind its own calls, the unfairness turns by client are there to end.
 */
export class FlightTurns {
  /** Past the first: most flights are one client's. */
  private others: Set<SlotOwner> | null = null;
  /** Slots' hook while a waiter of this flight is queued: puts it in a joining client's line too. */
  private joined: ((owner: SlotOwner) => void) | null = null;

  constructor(private readonly first: SlotOwner) {}

  /** Every client the read is for, the starter first. */
  owners(): SlotOwner[] {
    return this.others ? [this.first, ...this.others] : [this.first];
  }

  /** A client joined the read: it waits in that client's turn too, from now on. */
  add(owner: SlotOwner): void {
    if (owner === this.first || this.others?.has(owner)) return;
    (this.others ??= new Set()).add(owner);
    this.joined?.(owner);
  }

  /** Set by Slots while a waiter of the flight is queued, cleared (null) when it is served or leaves. */
  whileQueued(onJoin: ((owner: SlotOwner) => void) | null): void {
    this.joined = onJoin;
  }
}
