/** A mutation whose answer the client has not been handed yet: its ids for the log line of a close that loses it. */
export interface OwedAnswer {
  /** The client's id of the operation (graphql-ws's). */
  operationId: string;
  /** The gateway's id of the request, in the mutation's own log lines. */
  requestId: string;
}

/**
 * The mutations one WebSocket connection is running, to know their answers as they are sent.
 * A mutation's answer is never refused, for its address's answers not taken
 * (`limits.maxUnsentAnswerBytesPerAddress`) or the connection's (`limits.maxWsBufferedBytes`),
 * and a close for either waits until it has gone out (CloseAfterMutations): graphql-ws's client
 * sends its operations again when it reconnects, so the mutation would act twice.
 *
 * graphql-ws hands `send` the message as text, so an answer is known by its beginning: its
 * stringifyMessage writes `{"id":<id>,"type":"next",...` and then `{"id":<id>,"type":"complete"}`
 * (JSON.stringify of the message in that key order), and an id is at most MAX_OPERATION_ID_LENGTH characters.
 */
export class ActingAnswers {
  private readonly running = new Map<string, { beginning: string; requestId: string }>();
  /** Answers handed to ws and not yet to the kernel, per mutation: a close now would lose them. */
  private readonly unsent = new Map<string, { count: number; requestId: string }>();

  /** A mutation `id` (request `requestId`) runs from now until `ended(id)`. */
  started(id: string, requestId: string): void {
    this.running.set(id, { beginning: beginningOf(id, 'next'), requestId });
  }

  /**
   * Mutation `id` has ended. Its `complete`, when graphql-ws sends one (`completeToSend`: the
   * client has not cancelled it), is an answer too: a connection closed before it came, the
   * client sends the operation again. Known until it has been sent.
   */
  ended(id: string, completeToSend: boolean): void {
    const mutation = this.running.get(id);
    if (mutation && completeToSend) mutation.beginning = beginningOf(id, 'complete');
    else this.running.delete(id);
  }

  /** Whether a mutation has a message still to send (its `next`, or its `complete`). */
  get answering(): boolean {
    return this.running.size > 0;
  }

  /** The mutation `message` answers, counted as unsent until `sent(id)`; null for any other message. */
  answerOf(message: string): string | null {
    for (const [id, mutation] of this.running) {
      if (!message.startsWith(mutation.beginning)) continue;
      // Its last message: nothing more of it to know.
      if (mutation.beginning.endsWith('"complete"')) this.running.delete(id);
      const unsent = this.unsent.get(id);
      if (unsent) unsent.count += 1;
      else this.unsent.set(id, { count: 1, requestId: mutation.requestId });
      return id;
    }
    return null;
  }

  /** An answer of mutation `id` reached the kernel (or failed with the connection). */
  sent(id: string): void {
    const unsent = this.unsent.get(id);
    if (!unsent) return;
    unsent.count -= 1;
    if (unsent.count <= 0) this.unsent.delete(id);
  }

  /** Whether a mutation has an answer the client has not been handed: still to send, or queued unsent. */
  get owes(): boolean {
    return this.running.size > 0 || this.unsent.size > 0;
  }

  /** Mutations with an answer the client has not been handed: still running, or queued unsent. */
  owed(): OwedAnswer[] {
    const owed = new Map<string, string>();
    for (const [id, mutation] of this.running) owed.set(id, mutation.requestId);
    for (const [id, unsent] of this.unsent) owed.set(id, unsent.requestId);
    return [...owed].map(([operationId, requestId]) => ({ operationId, requestId }));
  }
}

const beginningOf = (id: string, type: 'next' | 'complete'): string => `{"id":${JSON.stringify(id)},"type":"${type}"`;
