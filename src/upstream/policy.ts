import {
  BrokenCircuitError,
  BulkheadRejectedError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  bulkhead,
  circuitBreaker,
  handleWhen,
  retry,
  wrap,
  type IBackoff,
  type IBackoffFactory,
  type IPolicy,
  type IRetryBackoffContext,
} from 'cockatiel';
import { GatewayError } from '../domain/errors.js';
import type { ProviderHealth } from '../domain/types.js';
import type { UpstreamPolicyOptions } from './defaults.js';

/** Failures worth retrying and counting against the breaker: the provider, not the request, is at fault. */
export const isTransient = (error: unknown): boolean =>
  error instanceof TaskCancelledError ||
  (error instanceof GatewayError && (error.code === 'PROVIDER_UNAVAILABLE' || error.code === 'PROVIDER_TIMEOUT'));

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

export interface UpstreamPolicy {
  /** For reads: timeout, retries, breaker, concurrency cap. */
  read: IPolicy;
  /** For writes (create, delete, restore...): everything but retries, so nothing is done twice. */
  write: IPolicy;
  health(): ProviderHealth;
  breakerState(): 'closed' | 'open' | 'half-open';
  onBreakerStateChange(listener: (state: 'closed' | 'open' | 'half-open') => void): void;
}

const STATE_NAMES: Record<CircuitState, 'closed' | 'open' | 'half-open'> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'open',
};

/**
 * Composes the per-account policy: retry (reads only) -> breaker ->
 * concurrency cap -> request. The per-attempt timeout is undici's own
 * (headers and body timeouts on the Pool): a cockatiel timeout would cost an
 * AbortController and a DOMException per request, a measurable share of the
 * gateway's CPU on a dashboard that makes hundreds of upstream calls.
 */
export function createUpstreamPolicy(options: UpstreamPolicyOptions): UpstreamPolicy {
  const transient = handleWhen(isTransient);
  const breaker = circuitBreaker(transient, {
    halfOpenAfter: options.breakerHalfOpenAfterMs,
    breaker: new ConsecutiveBreaker(options.breakerThreshold),
  });
  const cap = bulkhead(options.maxConcurrency, options.maxQueue);
  const retries = retry(transient, {
    maxAttempts: options.retries,
    backoff: new RetryAfterBackoff(
      new ExponentialBackoff({ initialDelay: options.retryBaseDelayMs, maxDelay: options.retryMaxDelayMs }),
      options.retryMaxDelayMs,
    ),
  });
  return {
    read: wrap(retries, breaker, cap),
    write: wrap(breaker, cap),
    health: () => {
      const state = breaker.state;
      if (state === CircuitState.Closed) return 'UP';
      if (state === CircuitState.HalfOpen) return 'DEGRADED';
      return 'DOWN';
    },
    breakerState: () => STATE_NAMES[breaker.state],
    onBreakerStateChange: (listener) => {
      breaker.onStateChange((state) => listener(STATE_NAMES[state]));
    },
  };
}

/** Turns the policy's own errors into the gateway's typed errors. */
export function policyErrorToGatewayError(error: unknown, provider: string): unknown {
  if (error instanceof BrokenCircuitError) {
    return new GatewayError('PROVIDER_UNAVAILABLE', `provider ${provider} is unavailable (circuit open)`, { provider });
  }
  if (error instanceof BulkheadRejectedError) {
    return new GatewayError('PROVIDER_UNAVAILABLE', `provider ${provider} is overloaded (too many requests queued)`, { provider });
  }
  if (error instanceof TaskCancelledError) {
    return new GatewayError('PROVIDER_TIMEOUT', `provider ${provider} did not answer in time`, { provider });
  }
  return error;
}
