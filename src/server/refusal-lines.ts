import type { Logger } from 'pino';
import { LogThrottle } from '../observability/log-throttle.js';

/** How long one address's refusals of one kind share a line. */
export const REFUSAL_LINE_PERIOD_MS = 10_000;

/**
 * The lines of refusals a caller brings about at will (a name not allowed, another origin, an
 * oversized connection_init, a WebSocket cap reached, a message only a server sends): at most one
 * per address and kind per period, counting those left out since. One line each, a client
 * sending them as fast as it could wrote the log as fast.
 */
export class RefusalLines {
  private readonly throttle: LogThrottle;

  constructor(
    private readonly logger: Logger,
    periodMs = REFUSAL_LINE_PERIOD_MS,
  ) {
    this.throttle = new LogThrottle(periodMs);
  }

  /** Logs `message` with `fields` at info unless this address had a line of it within the period. */
  info(address: string, fields: Record<string, unknown>, message: string): void {
    this.write('info', address, fields, message);
  }

  /** As `info`, at warn: a cap reached, which an operator may need to raise. */
  warn(address: string, fields: Record<string, unknown>, message: string): void {
    this.write('warn', address, fields, message);
  }

  private write(level: 'info' | 'warn', address: string, fields: Record<string, unknown>, message: string): void {
    const leftOut = this.throttle.take(`${message}\n${address}`);
    if (leftOut !== null) this.logger[level]({ ...fields, alsoRefusedSinceLastLine: leftOut }, message);
  }
}
