/**
 * A close the gateway asks for because a WebSocket client is behind (more than
 * `limits.maxWsBufferedBytes` queued unsent, or its address past
 * `limits.maxUnsentAnswerBytesPerAddress`), held back while one of the connection's mutations still
 * has its answer to send. Closed first, the mutation's `next` and `complete` never reached the
 * client, and graphql-ws's client (like any client of the protocol: an operation without its
 * `complete` did not happen) sent the mutation again on the connection it opened next: it acted
 * twice. Meanwhile nothing else is queued (see backpressuredSend), so a connection holds at most its
 * cap, one message, and its running mutations' answers (at most `limits.maxSubscriptionsPerConnection`).
 */
export class CloseAfterMutations {
  private waiting: (() => void) | null = null;
  /**
   * Mutations' messages handed to ws and not yet to the kernel. ActingAnswers forgets a mutation as
   * its `complete` is handed over, and a close then let go (another operation ending, a message past
   * the cap) dropped the connection with the complete still unsent: the client sent the mutation again.
   */
  private answersUnsent = 0;

  /** `mutationsAnswering`: whether a mutation of the connection has a message still to hand to ws. */
  constructor(private readonly mutationsAnswering: () => boolean) {}

  /** Whether a close has been asked for and waits: no other message goes out, nothing new runs. */
  get waits(): boolean {
    return this.waiting !== null;
  }

  /** Closes now, or once the running mutations' answers have gone out. Only the first close asked for counts. */
  request(close: () => void): void {
    if (this.waiting !== null) return;
    if (!this.answering()) return close();
    this.waiting = close;
  }

  /** A mutation's answer went out, or a mutation ended without one to send: the close waits no longer if it was the last. */
  settle(): void {
    const close = this.waiting;
    if (close === null || this.answering()) return;
    this.waiting = null;
    close();
  }

  /** A mutation's message was handed to ws: a close waits until `answerSent`. */
  answerQueued(): void {
    this.answersUnsent += 1;
  }

  /** A mutation's message reached the kernel (or failed with the connection). */
  answerSent(): void {
    this.answersUnsent -= 1;
    this.settle();
  }

  private answering(): boolean {
    return this.answersUnsent > 0 || this.mutationsAnswering();
  }
}
