import { WebSocket } from 'ws';
import { holdsPartialMessage, partialMessageAtPing } from '../partial-message.js';

/**
 * Ping period; a peer that does not answer within one period is dropped (graphql-ws's default).
 * A peer not read from (see pauseIfBehind) cannot be heard answering: it is dropped when it
 * has taken no answer in a whole period instead. Either waits one more period while a mutation's
 * answer is owed (KeepAliveHooks.answersOwed).
 */
export const KEEP_ALIVE_MS = 12_000;

/** The close reason for a fragmented message begun and not finished within a keep-alive period. */
export const MESSAGE_NOT_RECEIVED_IN_TIME = 'message not received in time: its fragments must all arrive within a keep-alive period';

export interface KeepAliveHooks {
  periodMs: number;
  /** Paused (not read from) and not one answer taken in a whole period. */
  stoppedReading(): void;
  /** One message under way for a whole period. */
  messageTooSlow(): void;
  /** Read from, and no pong to a ping within a period (and the grace below): drop it. */
  notAnswering(): void;
  /**
   * Whether a mutation of the connection has an answer the client has not been handed (still
   * running, or queued unsent). stoppedReading and notAnswering then wait one more period: the
   * answer says whether the mutation acted, and a client that was only slow (a stalled link, a
   * suspended tab) gets it if it takes anything or answers a ping meanwhile.
   */
  answersOwed(): boolean;
  /** That one more period has begun. */
  graceBegun(): void;
}

/**
 * One connection's ping timer, which also ends what a ping alone would not: a client that stopped
 * taking its answers while the gateway no longer reads it, and a message whose fragments trickle in.
 */
export class KeepAlive {
  private readonly timer: NodeJS.Timeout;
  private pongWait: NodeJS.Timeout | null = null;
  /** What a paused client had still to take at the last ping: unchanged a period later, it has stopped reading. */
  private unreadAtLastPing: number | null = null;
  /** Messages received, and how many there were at the last ping when a fragmented one was under way. */
  private messagesReceived = 0;
  private messagesAtPartialPing: number | null = null;
  /** The one more period given for a mutation's answer, since the client last showed it was alive. */
  private graceGiven = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly hooks: KeepAliveHooks,
  ) {
    this.timer = setInterval(() => this.tick(), hooks.periodMs);
  }

  /** Called for every whole message the connection receives. */
  messageReceived(): void {
    this.messagesReceived += 1;
  }

  stop(): void {
    if (this.pongWait) clearTimeout(this.pongWait);
    clearInterval(this.timer);
  }

  private tick(): void {
    const { socket } = this;
    if (socket.readyState !== WebSocket.OPEN) return;
    const partial = partialMessageAtPing(this.messagesAtPartialPing, { paused: socket.isPaused, holdsPartial: holdsPartialMessage(socket), messagesReceived: this.messagesReceived });
    if (partial === 'close') {
      // As HTTP's request timeout, or the fragments (up to limits.bodyLimitBytes) would be held for the connection's life.
      this.hooks.messageTooSlow();
      return;
    }
    this.messagesAtPartialPing = partial;
    if (socket.isPaused) {
      // Not read from (see pauseIfBehind), so its pong would wait unread: what shows it alive is
      // taking answers. Paused with nothing taken for a whole period, it would otherwise hold its
      // unread answers and its place for the life of the process (no send would come to check it).
      const unread = socket.bufferedAmount;
      // Only something taken gives the grace back: the first paused ping has nothing to compare
      // yet, and taking it back there gave a client that missed a pong, then fell behind, two more periods.
      if (this.unreadAtLastPing !== null && unread >= this.unreadAtLastPing) {
        if (this.graceOver()) this.hooks.stoppedReading();
      } else if (this.unreadAtLastPing !== null) this.graceGiven = false;
      this.unreadAtLastPing = unread;
      return;
    }
    this.unreadAtLastPing = null;
    this.pongWait = setTimeout(() => {
      // A wait set before a close fires after it too (stop clears only the last one).
      if (socket.readyState === WebSocket.OPEN && !socket.isPaused && this.graceOver()) this.hooks.notAnswering();
    }, this.hooks.periodMs);
    socket.once('pong', () => {
      if (this.pongWait) clearTimeout(this.pongWait);
      this.pongWait = null;
      this.graceGiven = false;
    });
    socket.ping();
  }

  /** Whether to close now: no mutation's answer owed, or its one more period spent. */
  private graceOver(): boolean {
    if (this.graceGiven || !this.hooks.answersOwed()) return true;
    this.graceGiven = true;
    this.hooks.graceBegun();
    return false;
  }
}
