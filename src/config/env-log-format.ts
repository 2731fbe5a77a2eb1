import { ConfigError } from './config-error.js';
import { shownEnvSetting } from './env-value-shown.js';

/** `pretty` for people at a terminal, `json` (one object a line) for log pipelines. */
export const LOG_FORMATS = ['pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** LOG_FORMAT when set; else pretty on a terminal and JSON anywhere else (a pipe, a file, a container log). */
export function chooseLogFormat(env: NodeJS.ProcessEnv, stdoutIsTerminal: boolean): LogFormat {
  const chosen = env.LOG_FORMAT?.trim().toLowerCase();
  if (chosen === undefined || chosen === '') return stdoutIsTerminal ? 'pretty' : 'json';
  if ((LOG_FORMATS as readonly string[]).includes(chosen)) return chosen as LogFormat;
  // A ConfigError, as for PORT: exit 2 naming the variable, not 'failed to start' and exit 1.
  throw new ConfigError([`${shownEnvSetting('LOG_FORMAT', env.LOG_FORMAT ?? '')}: must be ${LOG_FORMATS.join(' or ')}`]);
}
