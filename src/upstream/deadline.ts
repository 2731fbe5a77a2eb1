import { EventEmitter } from 'node:events';
import { GatewayError } from '../domain/errors.js';
import type { FailureClass } from './failure-class.js';

/** The reason an attempt's deadline passed (undici rejects, or destroys the answer's body, with it). */
export class AttemptTimeout extends Error {
  constructor() {
    super('upstream attempt deadline passed');
  }
}

/** The reason an attempt stopped because its GraphQL request went away. */
export class AttemptCancelled extends Error {
  constructor() {
    super('the request that needed this upstream call has ended');
  }
}

/**
 * One upstream attempt's stop signal: a single deadline over connect,
 * headers and the whole body (undici's headersTimeout/bodyTimeout are idle
 * timers per chunk, so a body trickled one byte at a time would never trip
 * them), and the GraphQL request's own signal.
 *
 * An EventEmitter, which undici takes as `signal` like an AbortSignal: an
 * AbortController per attempt costs ~7 µs against ~1 µs for this, and a
 * dashboard query makes hundreds of attempts.
 */
export class AttemptSignal extends EventEmitter {
  aborted = false;
  reason: Error | undefined = undefined;
  private readonly timer: NodeJS.Timeout;
  private readonly parent: AbortSignal | undefined;
  private readonly onParentAbort = (): void => this.abort(new AttemptCancelled());

  constructor(timeoutMs: number, parent: AbortSignal | undefined) {
    super();
    this.timer = setTimeout(() => this.abort(new AttemptTimeout()), timeoutMs);
    this.parent = parent;
    if (!parent) return;
    if (parent.aborted) this.abort(new AttemptCancelled());
    else parent.addEventListener('abort', this.onParentAbort, { once: true });
  }

  /** Stops the timer and lets go of the request's signal; call when the attempt is over, however it ended. */
  dispose(): void {
    clearTimeout(this.timer);
    this.parent?.removeEventListener('abort', this.onParentAbort);
  }

  private abort(reason: Error): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.dispose();
    this.emit('abort');
  }
}

/**
 * An upstream call stopped because the client's request ended. Not a fault of
 * the provider: never retried, never counted by the breaker or in health.
 */
export class UpstreamCancelledError extends GatewayError {
  constructor(provider: string) {
    super('PROVIDER_UNAVAILABLE', `the request ended before provider ${provider} answered`, { provider });
  }
}

/**
 * A call the gateway did not send: the account's breaker is open, or its
 * queue is full. The provider saw nothing, so nothing can have been done.
 */
export class UpstreamNotSent extends GatewayError {
  constructor(provider: string, message: string, retryAfterSeconds?: number) {
    super('PROVIDER_UNAVAILABLE', message, retryAfterSeconds === undefined ? { provider } : { provider, retryAfterSeconds });
  }
}

/**
 * A transient failure of one attempt (unreachable, timed out, 5xx, 429),
 * with the class of its cause for health and logs; clients see only the
 * code and message.
 */
export class UpstreamFailure extends GatewayError {
  constructor(
    code: 'PROVIDER_UNAVAILABLE' | 'PROVIDER_TIMEOUT',
    message: string,
    details: GatewayError['details'],
    readonly failure: FailureClass,
  ) {
    super(code, message, details);
  }
}
