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

/** The one reader of an attempt's answer, told when the attempt's signal aborts (requestText's handler). */
export interface AttemptWatcher {
  attemptStopped(): void;
}

/**
 * One upstream attempt's stop signal: a single deadline over connect,
 * headers and the whole body (undici's headersTimeout/bodyTimeout are idle
 * timers per chunk, so a body trickled one byte at a time would never trip
 * them), and the GraphQL request's own signal.
 *
 * Neither an AbortController (~7 µs an attempt against ~1 µs for this) nor
 * an EventEmitter: an attempt's answer has one reader (`watch`), and the
 * signal is itself the listener on the request's signal (`handleEvent`), so
 * an attempt makes no emitter, no listener closure and no options object. A
 * dashboard query makes hundreds of attempts, each alive while its answer is
 * read, and every scavenge copies what they hold.
 */
export class AttemptSignal {
  aborted = false;
  reason: Error | undefined = undefined;
  private watcher: AttemptWatcher | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly parent: AbortSignal | undefined;

  constructor(timeoutMs: number, parent: AbortSignal | undefined) {
    this.timer = setTimeout(() => this.abort(new AttemptTimeout()), timeoutMs);
    this.parent = parent;
    if (!parent) return;
    if (parent.aborted) this.abort(new AttemptCancelled());
    else parent.addEventListener('abort', this, ONCE);
  }

  /** The request's signal fired: this is its listener (an EventListener object, as EventTarget and FlightSignal take one). */
  handleEvent(): void {
    this.abort(new AttemptCancelled());
  }

  /** `watcher` is told when the signal aborts (once, then let go); one at a time. */
  watch(watcher: AttemptWatcher): void {
    this.watcher = watcher;
  }

  /** Whether a watcher is still told (tests: a reader that is done lets go). */
  get watched(): boolean {
    return this.watcher !== null;
  }

  /** `watcher` is no longer told (its answer is read, or failed). */
  unwatch(watcher: AttemptWatcher): void {
    if (this.watcher === watcher) this.watcher = null;
  }

  /** Stops the timer and lets go of the request's signal; call when the attempt is over, however it ended. */
  dispose(): void {
    clearTimeout(this.timer);
    this.parent?.removeEventListener('abort', this);
  }

  private abort(reason: Error): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.dispose();
    const watcher = this.watcher;
    this.watcher = null;
    watcher?.attemptStopped();
  }
}

/** One options object for every attempt's listener, not one each. */
const ONCE: AddEventListenerOptions = { once: true };

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
