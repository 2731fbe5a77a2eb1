import { ConfigError } from './config-error.js';
import { shownEnvSetting } from './env-value-shown.js';
import { strayWhitespaceProblem } from './env-stray-whitespace.js';

/** The most either setting takes, as the config's schema (shutdown.*). */
const MAX_SHUTDOWN_MS = 600_000;

/**
 * A duration from the environment that beats the config's; one that is not a
 * whole number of ms from 0 to 600000 stops the start (exit 2) rather than
 * being ignored or, past 2^31 ms, overflowing node's timer to fire at once.
 */
function envMillis(name: string, configured: number, env: NodeJS.ProcessEnv): number {
  const value = env[name];
  if (value === undefined || value === '') return configured;
  const inRange = (text: string): boolean => /^\d{1,6}$/.test(text) && Number(text) <= MAX_SHUTDOWN_MS;
  if (!inRange(value)) {
    throw new ConfigError([strayWhitespaceProblem(name, value, inRange) ?? `${shownEnvSetting(name, value)}: must be a whole number of milliseconds from 0 to ${MAX_SHUTDOWN_MS}`]);
  }
  return Number(value);
}

/** DRAIN_TIMEOUT_MS beats the config's shutdown.drainTimeoutMs. */
export const drainTimeoutMs = (configured: number, env: NodeJS.ProcessEnv): number => envMillis('DRAIN_TIMEOUT_MS', configured, env);

/**
 * The grace between "not ready" and closing: `shutdown.readyzGraceMs`, or
 * SHUTDOWN_READYZ_GRACE_MS when set (a deployment tunes it to its balancer).
 */
export const readyzGraceMs = (configured: number, env: NodeJS.ProcessEnv): number => envMillis('SHUTDOWN_READYZ_GRACE_MS', configured, env);

/**
 * The config as the environment changes it: DRAIN_TIMEOUT_MS and
 * SHUTDOWN_READYZ_GRACE_MS written into `shutdown` before validation, so the
 * checks that span both see the values in effect.
 */
export function withShutdownEnv(raw: unknown, env: NodeJS.ProcessEnv): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const config = raw as Record<string, unknown>;
  // YAML's `shutdown:` with nothing under it is null: an empty section.
  const shutdown = config.shutdown ?? {};
  if (typeof shutdown !== 'object' || Array.isArray(shutdown)) return raw;
  const overrides: Record<string, number> = {};
  // Both read before either refusal is thrown: one pass names every problem (it named the first alone).
  const problems: string[] = [];
  const read = (key: string, value: (configured: number, env: NodeJS.ProcessEnv) => number): void => {
    try {
      overrides[key] = value(0, env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems);
    }
  };
  if (env.DRAIN_TIMEOUT_MS) read('drainTimeoutMs', drainTimeoutMs);
  if (env.SHUTDOWN_READYZ_GRACE_MS) read('readyzGraceMs', readyzGraceMs);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.keys(overrides).length === 0 ? raw : { ...config, shutdown: { ...shutdown, ...overrides } };
}
