import type { Logger } from 'pino';
import { LogThrottle } from '../observability/log-throttle.js';

/** How long one address's refusals of one kind share a line. */
export const REFUSAL_LINE_PERIOD_MS = 10_000;

/**
 * The info lines of refusals a caller brings about at will (a name not allowed, another origin,
 * an oversized connection_init): at most one per address and kind per period, counting those
 * left out since. One line each, a client sending them as fast as it could wrote the log as fast.
 */
export class RefusalLines {
  private readonly throttle: LogThrottle;

  constructor(
    private readonly logger: Logger,
    periodMs = REFUSAL_LINE_PERIOD_MS,
  ) {
    this.throttle = new LogThrottle(periodMs);
  }

  /** Logs `message` with `fields` unless this address had a line of it within the period. */
  info(address: string, fields: Record<string, unknown>, message: string): void {
    const leftOut = this.throttle.take(`${message}\n${address}`);
    if (leftOut !== null) this.logger.info({ ...fields, alsoRefusedSinceLastLine: leftOut }, message);
  }
}
