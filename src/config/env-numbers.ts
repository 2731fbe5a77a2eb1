import { ConfigError } from './config-error.js';
import { shownEnvSetting } from './env-value-shown.js';
import { strayWhitespaceProblem } from './env-stray-whitespace.js';
import { PORT_RANGE_WORDS } from './port-references.js';

/** The slowest a demo simulator is made to answer: past it the demo looks hung, not slow. */
const MAX_DEMO_LATENCY_MS = 60_000;

/**
 * A whole number from the environment, or undefined when unset or empty. One
 * that is not a whole number in range stops the start (exit 2) naming the
 * variable: `PORT=abc` used to reach the schema as `listen.port: ... NaN` in
 * demo mode and be ignored under --config, and `DEMO_LATENCY_MS=abc` was
 * taken as 0.
 */
function envWholeNumber(name: string, env: NodeJS.ProcessEnv, max: number, range: string): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const inRange = (text: string): boolean => /^\d{1,6}$/.test(text) && Number(text) <= max;
  if (!inRange(value)) {
    throw new ConfigError([strayWhitespaceProblem(name, value, inRange) ?? `${shownEnvSetting(name, value)}: ${range}`]);
  }
  return Number(value);
}

/** PORT, which beats listen.port, in listen.port's words (0: any free port). */
export const envPort = (env: NodeJS.ProcessEnv): number | undefined => envWholeNumber('PORT', env, 65_535, PORT_RANGE_WORDS);

/** DEMO_LATENCY_MS: how much slower the demo simulators answer (0 when unset). */
export const demoLatencyMs = (env: NodeJS.ProcessEnv): number => envWholeNumber('DEMO_LATENCY_MS', env, MAX_DEMO_LATENCY_MS, `must be a whole number of milliseconds from 0 to ${MAX_DEMO_LATENCY_MS}`) ?? 0;
