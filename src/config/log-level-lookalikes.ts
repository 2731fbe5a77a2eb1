/**
 * The names people write meaning LOG_LEVEL (`LOGLEVEL`, `LOG-LEVEL`, `log_level`,
 * `LOGGING_LEVEL`): the same letters once case and punctuation are set aside, LOGGING
 * read as LOG. Other tools read such names too (a container's env file serves several),
 * so one set never stops the start: the gateway says once which name it reads, since
 * a `LOGLEVEL=debug` gave no debug lines and no word of why.
 */
const MEANT = 'LOGLEVEL';

/** The punctuation people put between the words; anything else (a control character, an escape) is no spelling of it, and would be written to the terminal as the name. */
const SPELLED = /^[A-Za-z0-9_.-]+$/;

const lettersOf = (name: string): string => (SPELLED.test(name) ? name.toUpperCase().replace(/[^A-Z0-9]/g, '').replace(/^LOGGING/, 'LOG') : '');

/** The lookalikes set (non-empty) while LOG_LEVEL itself is unset or blank, in the environment's order; none otherwise. */
export function logLevelLookalikes(env: NodeJS.ProcessEnv): string[] {
  if (env.LOG_LEVEL?.trim()) return [];
  return Object.keys(env).filter((name) => name !== 'LOG_LEVEL' && env[name]?.trim() && lettersOf(name) === MEANT);
}

/** One line for all of them, naming the variable read and never quoting a value (an env file may hold anything under any name). */
export function logLevelLookalikeWarning(names: readonly string[]): string {
  const set = names.length === 1 ? `${names[0]} is set` : `${names.join(' and ')} are set`;
  return `${set}, but the gateway reads LOG_LEVEL (unset: the config's logLevel, info by default): to set the gateway's log level, name it LOG_LEVEL; left alone for any other tool that reads it`;
}
