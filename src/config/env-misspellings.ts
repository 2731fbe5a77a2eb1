import { ConfigError } from './config-error.js';
import { distance } from './did-you-mean.js';

/**
 * The variables whose silent absence changes what a deployment does, and what leaving
 * them out means: a replica started with `REDIS_URI` kept its state to itself (the other
 * replicas' idempotency records, cache and operation polls unseen) and one with
 * `DRAIN_TIMEOUT` drained for the config's time, with nothing said either way.
 */
const WATCHED: ReadonlyArray<{ reads: readonly string[]; unsetMeans: string }> = [
  { reads: ['REDIS_URL', 'REDIS_URL_FILE'], unsetMeans: 'unset it to keep the shared state in this process' },
  { reads: ['DRAIN_TIMEOUT_MS'], unsetMeans: "unset it to keep the config's shutdown.drainTimeoutMs" },
  { reads: ['SHUTDOWN_READYZ_GRACE_MS'], unsetMeans: "unset it to keep the config's shutdown.readyzGraceMs" },
];
const EVERY_READ = new Set(WATCHED.flatMap((watched) => watched.reads));

/** Two edits from the name (any case), or one from it without its unit: `DRAIN_TIMEOUT` for DRAIN_TIMEOUT_MS. */
function looksMeantFor(name: string, meant: string): boolean {
  const upper = name.toUpperCase();
  return distance(upper, meant) <= 2 || (meant.endsWith('_MS') && distance(upper, meant.slice(0, -3)) <= 1);
}

/** One line per variable set that looks meant as a watched one that is not set; named, never quoted (a URL may hold a password). */
export function misspeltVariableProblems(env: NodeJS.ProcessEnv): string[] {
  return WATCHED.flatMap(({ reads, unsetMeans }) => {
    if (reads.some((name) => env[name])) return [];
    return Object.keys(env)
      .filter((name) => env[name] && !EVERY_READ.has(name) && reads.some((meant) => looksMeantFor(name, meant)))
      .map((name) => `${name} is set, but the gateway reads ${reads.join(' or ')}: rename it, or ${unsetMeans}`);
  });
}

/** The start's refusal (exit 2) of what misspeltVariableProblems finds. */
export function refuseMisspeltVariables(env: NodeJS.ProcessEnv): void {
  const problems = misspeltVariableProblems(env);
  if (problems.length > 0) throw new ConfigError(problems);
}
