/**
 * What a WebSocket connection's operations hold while they run: the size of
 * their messages, in characters. graphql-ws keeps each operation's message
 * (query, variables and anything else sent beside them) until the operation
 * ends, and a subscription may never end: 20 connections of one client, each holding 20 subscriptions of a
 * 0.9 MB query (a comment pads it, costing no tokens), held some 700 MB of
 * heap. A connection may hold one message's worth (`limits.bodyLimitBytes`)
 * at a time; a dashboard's operations are a few KB.
 *
 * Kept per operation id, oldest first: a client may cancel an operation and
 * use its id again before the first has ended.
 */
export class HeldText {
  private total = 0;
  private readonly byId = new Map<string, number[]>();

  constructor(private readonly limit: number) {}

  /** Whether an operation of `length` characters fits beside those held. */
  fits(length: number): boolean {
    return this.total + length <= this.limit;
  }

  hold(id: string, length: number): void {
    this.total += length;
    const held = this.byId.get(id);
    if (held) held.push(length);
    else this.byId.set(id, [length]);
  }

  /** The oldest operation of `id` has ended. */
  release(id: string): void {
    const held = this.byId.get(id);
    const length = held?.shift();
    if (held === undefined || length === undefined) return;
    this.total -= length;
    if (held.length === 0) this.byId.delete(id);
  }

  get characters(): number {
    return this.total;
  }

  /** Operation ids holding text now (what the map keeps): a connection lives long and may use a new id for each operation. */
  get ids(): number {
    return this.byId.size;
  }
}
