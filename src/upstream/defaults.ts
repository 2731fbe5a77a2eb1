import { z } from 'zod';

const positiveInt = z.number().int().positive();

/**
 * The upstream policy, at a glance: each setting's default and, for those a
 * provider account may override in the config, the schema of the override.
 * A new setting is one entry here; its type, its config key and the merge
 * of overrides (`policyOptionsOf`) follow.
 */
const UPSTREAM_SETTINGS = {
  /** Per attempt: how long one upstream request may take, headers and body. */
  timeoutMs: { value: 10_000, override: positiveInt.max(600_000) },
  /** Extra attempts for reads (never for create, delete, restore) after a transient failure. */
  retries: { value: 2, override: z.number().int().min(0).max(10) },
  /** First backoff delay; later ones grow exponentially with decorrelated jitter. */
  retryBaseDelayMs: { value: 100 },
  /** No backoff waits longer than this, even when the provider's Retry-After asks for more. */
  retryMaxDelayMs: { value: 5_000 },
  /** Requests in flight to one provider account at once; more wait in a queue. */
  maxConcurrency: { value: 16, override: positiveInt.max(1_000) },
  /** Requests that may wait for a slot before new ones are refused as PROVIDER_UNAVAILABLE. */
  maxQueue: { value: 1_000 },
  /** Consecutive transient failures that open the circuit breaker. */
  breakerThreshold: { value: 5, override: positiveInt.max(1_000) },
  /** How long an open breaker refuses requests before letting one through to test the provider. */
  breakerHalfOpenAfterMs: { value: 10_000, override: positiveInt.max(3_600_000) },
  /** Upstream answers larger than this are refused (a provider must not exhaust our memory). */
  maxResponseBytes: { value: 32 * 1024 * 1024 },
  /**
   * How long a login the provider refused is answered from memory before it is tried again
   * (session.ts, REFUSED_LOGIN_HELD_MS): accounts that log in with a password (ZStack, Danube, Zomro).
   * Longer for a panel that locks a user after fewer failed logins; 0 holds none, each request
   * logging in again, for a provider that locks no one (and tests of a password put right).
   */
  refusedLoginHeldMs: { value: 30_000, override: z.number().int().min(0).max(3_600_000) },
  /** Idle keep-alive sockets per provider account. */
  keepAliveTimeoutMs: { value: 30_000 },
} satisfies Record<string, { value: number; override?: z.ZodNumber }>;

type Settings = typeof UPSTREAM_SETTINGS;
export type UpstreamPolicyOptions = { [Key in keyof Settings]: number };
/** The settings a provider account may override in the config. */
export type OverridableSetting = { [Key in keyof Settings]: Settings[Key] extends { override: z.ZodNumber } ? Key : never }[keyof Settings];

const entries = Object.entries(UPSTREAM_SETTINGS) as Array<[keyof Settings, { value: number; override?: z.ZodNumber }]>;

export const UPSTREAM_DEFAULTS = Object.fromEntries(entries.map(([key, setting]) => [key, setting.value])) as Readonly<UpstreamPolicyOptions>;

export const OVERRIDABLE_SETTINGS = entries.filter(([, setting]) => setting.override).map(([key]) => key) as OverridableSetting[];

/** The provider entry's optional override keys (`timeoutMs`, `retries`, ...), for the config schema. */
export const upstreamOverridesShape = Object.fromEntries(
  entries.flatMap(([key, setting]) => (setting.override ? [[key, setting.override.optional()]] : [])),
) as { [Key in OverridableSetting]: z.ZodOptional<z.ZodNumber> };

/** The account's policy: the defaults, with whatever its config entry overrides. */
export function policyOptionsOf(overrides: Partial<Record<OverridableSetting, number | undefined>>): UpstreamPolicyOptions {
  const options: UpstreamPolicyOptions = { ...UPSTREAM_DEFAULTS };
  for (const key of OVERRIDABLE_SETTINGS) {
    const value = overrides[key];
    if (value !== undefined) options[key] = value;
  }
  return options;
}
