import { DRAIN_REFUSAL_REASONS, type DrainRefusalReason, type GatewayMetrics } from '../observability/metrics.js';

/**
 * The HTTP requests the drain answered 503 SHUTTING_DOWN, unrun: counted on /metrics as they
 * happen, and told in one line as the drain ends. The line is what an operator reliably sees: the
 * process exits at the drain's end, usually before the next scrape reads the counter's last value.
 */
export class DrainRefusals {
  private readonly counts = new Map<DrainRefusalReason, number>(DRAIN_REFUSAL_REASONS.map((reason) => [reason, 0]));

  constructor(private readonly metrics: Pick<GatewayMetrics, 'drainRefused' | 'graphqlError'>) {}

  refused(reason: DrainRefusalReason): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    this.metrics.drainRefused(reason);
    // An error sent to a client like any other, outside Apollo's pipeline: graphql_errors_total counts it by code too.
    this.metrics.graphqlError('SHUTTING_DOWN');
  }

  /** How many, all reasons together. */
  get total(): number {
    let sum = 0;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }

  /** The counts by reason, for the drain's log line. */
  byReason(): Record<DrainRefusalReason, number> {
    return Object.fromEntries(this.counts) as Record<DrainRefusalReason, number>;
  }
}

export const drainRefusalsMessage = (total: number): string =>
  `drain: ${total} HTTP request(s) answered 503 SHUTTING_DOWN, unrun (headers or a body still arriving when the listener closed, a pipelined request still waiting its turn, or a WebSocket upgrade on a connection kept alive into the drain): their clients may send them again`;
