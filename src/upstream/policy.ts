import {
  BrokenCircuitError,
  BulkheadRejectedError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  circuitBreaker,
  handleWhen,
  type IBackoff,
  type IBackoffFactory,
  type IRetryBackoffContext,
} from 'cockatiel';
import { BreakerRun, type Attempt } from './breaker-run.js';
import { GatewayError } from '../domain/errors.js';
import type { ProviderHealth } from '../domain/types.js';
import { UpstreamCancelledError, UpstreamNotSent } from './deadline.js';
import type { UpstreamPolicyOptions } from './defaults.js';
import type { FailureClass } from './failure-class.js';
import { CutByClose } from './cut-by-close.js';
import { HealthState, type BreakerState, type HealthReport } from './health-state.js';
import { ReadRetries } from './read-retries.js';
import { Slots } from './slots.js';

/**
 * Failures worth retrying and counting against the breaker: the provider, not
 * the request, is at fault. A request cancelled by its client is neither, nor one the gateway cut
 * as it closed (CutByClose).
 */
export const isTransient = (error: unknown): boolean =>
  error instanceof GatewayError &&
  (error.code === 'PROVIDER_UNAVAILABLE' || error.code === 'PROVIDER_TIMEOUT') &&
  !(error instanceof UpstreamCancelledError) &&
  !(error instanceof CutByClose);

/**
 * Exponential backoff with decorrelated jitter, except that a provider's own
 * Retry-After (carried on the error) wins, capped at `maxDelayMs`.
 */
class RetryAfterBackoff implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  constructor(
    private readonly fallback: IBackoffFactory<IRetryBackoffContext<unknown>>,
    private readonly maxDelayMs: number,
  ) {}

  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const fallback = this.fallback.next(context);
    const error = 'error' in context.result ? context.result.error : undefined;
    const retryAfterSeconds = error instanceof GatewayError ? error.details.retryAfterSeconds : undefined;
    const duration = retryAfterSeconds === undefined ? fallback.duration : Math.min(retryAfterSeconds * 1000, this.maxDelayMs);
    return { duration, next: (ctx) => new RetryAfterBackoff(fallback, this.maxDelayMs).next(ctx) };
  }
}

/** What the client runs a request through: the breaker (BreakerRun), and for reads the retries around it. */
export interface UpstreamRun {
  execute<T>(attempt: Attempt<T>, signal?: AbortSignal): Promise<T>;
}

export interface UpstreamPolicy {
  /** For reads: retries, then the breaker; an attempt whose request has stopped is not made (`stoppedBeforeAttempt`). */
  read: UpstreamRun;
  /** For writes (create, delete, restore...): the breaker only, so nothing is done twice. */
  write: UpstreamRun;
  /** The concurrency cap, taken by each attempt inside the policy (an aborted request leaves its queue). */
  slots: Slots;
  health(): ProviderHealth;
  healthReport(): HealthReport;
  /** Each attempt's outcome: a success, a login's success (see HealthState.loginSucceeded), or the class of a transient failure. */
  attemptSucceeded(): void;
  loginSucceeded(): void;
  attemptFailed(cause: FailureClass): void;
  onHealthChange(listener: (report: HealthReport) => void): void;
  breakerState(): BreakerState;
  /** While the breaker is open: whole seconds (at least 1) until it lets a test request through. */
  secondsUntilHalfOpen(): number | undefined;
  onBreakerStateChange(listener: (state: BreakerState) => void): void;
  /**
   * True once, for the attempt that is the breaker's half-open test (the
   * breaker starts it right after saying so, before anything else can run).
   * That attempt must not end with its client: cockatiel takes a failure it
   * does not handle (a cancellation) as the test passing and closes the
   * breaker, although the provider may still be down.
   */
  takeHalfOpenTest(): boolean;
}

const STATE_NAMES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

/**
 * Composes the per-account policy: retry (reads only, ReadRetries) -> breaker ->
 * concurrency cap (`slots`, taken by the client's attempt) -> request. The
 * per-attempt deadline is the client's (an AttemptSignal handed to undici):
 * a cockatiel timeout would cost an AbortController and a DOMException per
 * request, a measurable share of the gateway's CPU on a dashboard that makes
 * hundreds of upstream calls.
 */
export function createUpstreamPolicy(options: UpstreamPolicyOptions): UpstreamPolicy {
  const transient = handleWhen(isTransient);
  const consecutiveFailures = new ConsecutiveBreaker(options.breakerThreshold);
  const breaker = circuitBreaker(transient, {
    halfOpenAfter: options.breakerHalfOpenAfterMs,
    breaker: consecutiveFailures,
  });
  const write = new BreakerRun(breaker, consecutiveFailures);
  const slots = new Slots(options.maxConcurrency, options.maxQueue, () => new TaskCancelledError());
  const retries = new ReadRetries(
    isTransient,
    options.retries,
    new RetryAfterBackoff(new ExponentialBackoff({ initialDelay: options.retryBaseDelayMs, maxDelay: options.retryMaxDelayMs }), options.retryMaxDelayMs),
    <T>(attempt: Attempt<T>, signal: AbortSignal | undefined) => stoppedBeforeAttempt(signal) ?? write.execute(attempt, signal),
  );
  const healthListeners: Array<(report: HealthReport) => void> = [];
  const health = new HealthState(
    () => STATE_NAMES[breaker.state],
    (report) => {
      for (const listener of healthListeners) listener(report);
    },
  );
  breaker.onStateChange(() => health.check());
  let openedAt = 0;
  breaker.onBreak(() => {
    openedAt = Date.now();
  });
  let halfOpenTestStarting = false;
  breaker.onHalfOpen(() => {
    halfOpenTestStarting = true;
  });
  return {
    read: retries,
    write,
    slots,
    health: () => health.current(),
    healthReport: () => health.report(),
    attemptSucceeded: () => health.succeeded(),
    loginSucceeded: () => health.loginSucceeded(),
    attemptFailed: (cause) => health.failed(cause),
    onHealthChange: (listener) => {
      healthListeners.push(listener);
    },
    breakerState: () => STATE_NAMES[breaker.state],
    secondsUntilHalfOpen: () => (breaker.state === CircuitState.Open ? Math.max(1, Math.ceil((openedAt + options.breakerHalfOpenAfterMs - Date.now()) / 1000)) : undefined),
    onBreakerStateChange: (listener) => {
      breaker.onStateChange((state) => listener(STATE_NAMES[state]));
    },
    takeHalfOpenTest: () => {
      const test = halfOpenTestStarting;
      halfOpenTestStarting = false;
      return test;
    },
  };
}

/**
 * A read whose request has stopped (its client left, or its answers passed their budget) before an
 * attempt, the first or one after a retry's backoff (which ends at the stop: ReadRetries), is not
 * made, and never reaches the breaker: the breaker makes any call it lets through while open its half-open trial, which runs to its
 * end whoever leaves (`takeHalfOpenTest`). A cancellation the breaker never saw is neither a
 * failure it counts nor a trial it closes on untested; the retry does not handle it (`isTransient`)
 * and gives up.
 */
function stoppedBeforeAttempt(signal: AbortSignal | undefined): Promise<never> | undefined {
  return signal?.aborted === true ? Promise.reject(new TaskCancelledError()) : undefined;
}

/**
 * Turns the policy's own errors into the gateway's typed errors. An open
 * circuit says when it lets a request through again (`retryAfterSeconds`), so
 * a dashboard can say when to retry rather than poll a provider it knows is down.
 */
export function policyErrorToGatewayError(error: unknown, provider: string, secondsUntilHalfOpen?: number): unknown {
  if (error instanceof BrokenCircuitError) {
    return new UpstreamNotSent(provider, `provider ${provider} is unavailable (circuit open)`, secondsUntilHalfOpen);
  }
  if (error instanceof BulkheadRejectedError) {
    return new UpstreamNotSent(provider, `provider ${provider} is overloaded (too many requests queued)`);
  }
  // The policy's own word for a request whose signal fired (in a queue, or behind a half-open test).
  if (error instanceof TaskCancelledError) return new UpstreamCancelledError(provider);
  return error;
}
