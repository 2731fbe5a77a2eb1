import { ConfigError } from './config-error.js';
import { shownEnvSetting } from './env-value-shown.js';

/** pino's levels, quietest last: the config's `logLevel` and LOG_LEVEL take the same words. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * LOG_LEVEL, which beats the config's `logLevel`; undefined when unset or empty. A word pino
 * does not know stops the start (exit 2) naming the variable: it reached pino, whose
 * "default level:loud must be included in custom levels" named neither the variable nor
 * the words it takes.
 */
export function envLogLevel(env: NodeJS.ProcessEnv): LogLevel | undefined {
  const value = env.LOG_LEVEL?.trim().toLowerCase();
  if (value === undefined || value === '') return undefined;
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new ConfigError([`${shownEnvSetting('LOG_LEVEL', env.LOG_LEVEL ?? '')}: must be one of ${LOG_LEVELS.join(', ')}`]);
}
