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
  private readonly beginnings = new Map<string, string>();

  /** A mutation `id` runs from now until `ended(id)`. */
  started(id: string): void {
    this.beginnings.set(id, beginningOf(id, 'next'));
  }

  /**
   * Mutation `id` has ended. Its `complete`, when graphql-ws sends one (`completeToSend`: the
   * client has not cancelled it), is an answer too: a connection closed before it came, the
   * client sends the operation again. Known until it has been sent.
   */
  ended(id: string, completeToSend: boolean): void {
    if (this.beginnings.has(id) && completeToSend) this.beginnings.set(id, beginningOf(id, 'complete'));
    else this.beginnings.delete(id);
  }

  /** Whether a mutation has a message still to send (its `next`, or its `complete`). */
  get answering(): boolean {
    return this.beginnings.size > 0;
  }

  /** Whether `message` is an answer of a mutation (one a client must not be told to send again). */
  answers(message: string): boolean {
    for (const [id, beginning] of this.beginnings) {
      if (!message.startsWith(beginning)) continue;
      // Its last message: nothing more of it to know.
      if (beginning.endsWith('"complete"')) this.beginnings.delete(id);
      return true;
    }
    return false;
  }
}

const beginningOf = (id: string, type: 'next' | 'complete'): string => `{"id":${JSON.stringify(id)},"type":"${type}"`;
