import type { Logger } from 'pino';
import { LogThrottle } from '../observability/log-throttle.js';
import { subnetOf } from './address-groups.js';
import { clientKeyOf } from './client-address.js';
import { scrubClipped } from '../graphql/scrubbed-log-text.js';

/** What a log line's client-sent text goes through: the scrubber of provider answers, every account's secrets. */
export type ScrubText = (text: string) => string;

const asIs: ScrubText = (text) => text;

/**
 * The longest string of a refusal's fields a line quotes. Clipped here, with the scrub, not by
 * the caller before it: a credential's encoded form (hex, %-escapes) the cut went through left its
 * start before the cut, which the scrub finds only whole (scrubClipped).
 */
export const LOGGED_FIELD_CHARACTERS = 200;

/** `fields` with each string value clipped and scrubbed: a refusal's fields quote what the client sent (a Host, an Origin, a name). */
export function scrubbedFields(fields: Record<string, unknown>, scrub: ScrubText): Record<string, unknown> {
  const scrubbed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) scrubbed[name] = typeof value === 'string' ? scrubClipped(value, LOGGED_FIELD_CHARACTERS, scrub) : value;
  return scrubbed;
}

/** How long one address's refusals of one kind share a line. */
export const REFUSAL_LINE_PERIOD_MS = 10_000;

/**
 * The lines of refusals a caller brings about at will (a name not allowed, another origin, an
 * oversized connection_init, a WebSocket cap reached, a message only a server sends): at most one
 * per address (for IPv6, per /64) and kind per period, counting those left out since. One line
 * each, a client sending them as fast as it could wrote the log as fast; one line per IPv6
 * address, a host taking a fresh address of its /64 for each request did the same (and paid the
 * gateway a scrub of each line's fields). Neighbours in a shared /64 share the line and its count,
 * which costs only detail: no limit is counted here. Their fields quote what the client sent
 * (a Host, an Origin, an Upgrade, a name), so each string goes through `scrub`: a provider
 * credential pasted into a header is not written to the log as sent.
 */
export class RefusalLines {
  private readonly throttle: LogThrottle;

  constructor(
    private readonly logger: Logger,
    periodMs = REFUSAL_LINE_PERIOD_MS,
    private readonly scrub: ScrubText = asIs,
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
    const leftOut = this.throttle.take(`${message}\n${subnetOf(clientKeyOf(address)) ?? address}`);
    if (leftOut !== null) this.logger[level]({ ...scrubbedFields(fields, this.scrub), alsoRefusedSinceLastLine: leftOut }, message);
  }
}
