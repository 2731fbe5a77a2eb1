import { envLogLevel, type LogLevel } from '../config/env-log-level.js';
import { boundedStdout } from '../observability/bounded-stdout.js';
import { chooseLogFormat, createLogger } from '../observability/logger.js';
import { EXIT_CONFIG, type StartRefusal } from '../start-refusal.js';

/** A bad LOG_FORMAT or LOG_LEVEL may be the very problem reported: then the defaults. */
function orDefault<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/**
 * The refusal as one `fatal` log event on stdout when the logs are JSON (a
 * pipe, a container): stderr's plain lines carry no pid or hostname, and a
 * log pipeline reading stdout never saw why a replica did not come up. Its
 * lines are stderr's, which never hold a secret's value; a person at a
 * terminal reads those and gets no second copy.
 */
export async function logStartRefusal(refusal: StartRefusal, env: NodeJS.ProcessEnv, stdoutIsTerminal: boolean): Promise<void> {
  if (orDefault(() => chooseLogFormat(env, stdoutIsTerminal), stdoutIsTerminal ? 'pretty' : 'json') !== 'json') return;
  const level: LogLevel = orDefault(() => envLogLevel(env), undefined) ?? 'info';
  const message = refusal.exitCode === EXIT_CONFIG ? 'start refused: invalid configuration' : 'start failed';
  createLogger(level, undefined, { format: 'json' }).fatal({ problems: refusal.lines, exitCode: refusal.exitCode }, message);
  // Queued behind a slow reader, the line would be lost to the exit; a stopped reader waits no longer than this.
  await boundedStdout().flushed(1_000);
}

/**
 * A start stopped by a signal, as one log event where the logs are JSON (stderr has the plain
 * line): `signal`, `phase` and `exitCode`, at warn, since the replica did not come up.
 */
export async function logStartStopped(line: string, fields: { signal: string; phase: string; exitCode: number }, env: NodeJS.ProcessEnv, stdoutIsTerminal: boolean): Promise<void> {
  if (orDefault(() => chooseLogFormat(env, stdoutIsTerminal), stdoutIsTerminal ? 'pretty' : 'json') !== 'json') return;
  const level: LogLevel = orDefault(() => envLogLevel(env), undefined) ?? 'info';
  createLogger(level, undefined, { format: 'json' }).warn(fields, line);
  await boundedStdout().flushed(1_000);
}
