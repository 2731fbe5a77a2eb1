/**
 * The upstream policy, at a glance. Every value can be overridden per provider
 * account in the config (`timeoutMs`, `retries`, `maxConcurrency`, ...).
 */
export const UPSTREAM_DEFAULTS = {
  /** Per attempt: how long one upstream request may take, headers and body. */
  timeoutMs: 10_000,
  /** Extra attempts for reads (never for create, delete, restore) after a transient failure. */
  retries: 2,
  /** First backoff delay; later ones grow exponentially with decorrelated jitter. */
  retryBaseDelayMs: 100,
  /** No backoff waits longer than this, even when the provider's Retry-After asks for more. */
  retryMaxDelayMs: 5_000,
  /** Requests in flight to one provider account at once; more wait in a queue. */
  maxConcurrency: 16,
  /** Requests that may wait for a slot before new ones are refused as PROVIDER_UNAVAILABLE. */
  maxQueue: 1_000,
  /** Consecutive transient failures that open the circuit breaker. */
  breakerThreshold: 5,
  /** How long an open breaker refuses requests before letting one through to test the provider. */
  breakerHalfOpenAfterMs: 10_000,
  /** Upstream answers larger than this are refused (a provider must not exhaust our memory). */
  maxResponseBytes: 32 * 1024 * 1024,
  /** Idle keep-alive sockets per provider account. */
  keepAliveTimeoutMs: 30_000,
  /** Cross-request cache of reads; 0 turns it off. */
  cacheTtlMs: 0,
} as const;

export interface UpstreamPolicyOptions {
  timeoutMs: number;
  retries: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  maxConcurrency: number;
  maxQueue: number;
  breakerThreshold: number;
  breakerHalfOpenAfterMs: number;
  maxResponseBytes: number;
  keepAliveTimeoutMs: number;
}
