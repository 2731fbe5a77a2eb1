import { ConfigError } from './config-error.js';
import { chooseLogFormat } from './env-log-format.js';
import { envLogLevel } from './env-log-level.js';
import { envPort } from './env-numbers.js';
import { refuseMisspeltVariables } from './env-misspellings.js';
import { envRedisUrl } from './env-redis-url.js';
import { envHost } from './listen-host.js';

/**
 * What a start with a config file would refuse in the variables it reads beside the
 * file (exit 2), one line each, for --check-config: it said "valid" with PORT=abc,
 * and the start then exited 2. DRAIN_TIMEOUT_MS and SHUTDOWN_READYZ_GRACE_MS are
 * checked by the loader itself (shutdown-env.ts), DEMO_LATENCY_MS only matters to the
 * demo, and whether Redis answers is the start's to find out.
 */
export function startEnvProblems(env: NodeJS.ProcessEnv): string[] {
  const checks: Array<() => unknown> = [() => envPort(env), () => envHost(env), () => envLogLevel(env), () => chooseLogFormat(env, false), () => envRedisUrl(env), () => refuseMisspeltVariables(env)];
  return checks.flatMap((check) => {
    try {
      check();
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
  });
}
