/**
 * Which of a server's HTTP connections may be closed at once when it stops:
 * those that owe no answer. A connection owes one from the moment a request
 * arrives on it until the answer is delivered (every byte handed to the
 * kernel), so one whose answer is still being written to a slow reader is
 * not idle, though the request itself was done long ago. A connection taken
 * over by another protocol (a WebSocket) is no longer HTTP's to close.
 * Pure bookkeeping: answer-delivery.ts feeds it the server's events.
 */
export class ConnectionLedger<Connection> {
  /** Answers owed per HTTP connection still open. */
  private readonly owed = new Map<Connection, number>();

  opened(connection: Connection): void {
    this.owed.set(connection, 0);
  }

  /** A request arrived on it (pipelined ones each owe their own answer). */
  answerOwed(connection: Connection): void {
    const count = this.owed.get(connection);
    if (count !== undefined) this.owed.set(connection, count + 1);
  }

  answerDelivered(connection: Connection): void {
    const count = this.owed.get(connection);
    if (count !== undefined) this.owed.set(connection, Math.max(0, count - 1));
  }

  /** Upgraded (a WebSocket): its owner closes it, not the HTTP server. */
  handedOver(connection: Connection): void {
    this.owed.delete(connection);
  }

  closed(connection: Connection): void {
    this.owed.delete(connection);
  }

  /** How many connections it holds: a closed one is forgotten, whatever events come for it late. */
  get size(): number {
    return this.owed.size;
  }

  /** Open HTTP connections owing nothing: closing them loses no answer. */
  idle(): Connection[] {
    return [...this.owed].filter(([, count]) => count === 0).map(([connection]) => connection);
  }
}
