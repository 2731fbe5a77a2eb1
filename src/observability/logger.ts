import { createRequire } from 'node:module';
import { hostname } from 'node:os';
import { pino, type Logger, type LevelWithSilent } from 'pino';
import type { LogFormat } from '../config/env-log-format.js';
import { ConfigError } from '../config/config-error.js';
import { boundedStdout } from './bounded-stdout.js';
import { PROVIDER_LOG_REDACT_PATHS } from '../providers/registry.js';

/** Loaded only when pretty lines are asked for: a JSON run (and --check-config) never pays for it. */
const loadPretty = (): typeof import('pino-pretty') => createRequire(import.meta.url)('pino-pretty') as typeof import('pino-pretty');

/**
 * Paths pino blanks in every log line. Credentials should never reach a log
 * call in the first place; this is the second line of defence.
 */
export const REDACTED_PATHS = [
  ...new Set([
    'password',
    'token',
    'key',
    'auth',
    'authorization',
    '*.password',
    '*.token',
    '*.key',
    '*.auth',
    '*.authorization',
    'req.headers.authorization',
    'headers.authorization',
    // Each provider kind's own credential fields and headers.
    ...PROVIDER_LOG_REDACT_PATHS,
  ]),
];

// Re-exported: the logger's callers read the format with it; --check-config reads it without pino.
export { LOG_FORMATS, chooseLogFormat, type LogFormat } from '../config/env-log-format.js';

export interface LoggerOptions {
  format?: LogFormat;
  /** Colours in pretty lines; only for a terminal. */
  colorize?: boolean;
}

/**
 * One line per event either way. Pretty lines lead with the local time and the
 * level's name, then what a person scans for: `[request id] provider: message
 * operation -> outcome`; the remaining fields follow as compact JSON on the
 * same line, so grep still finds a whole event.
 */
const PRETTY_MESSAGE = '{if requestId}[{requestId}] {end}{if provider}{provider}: {end}{msg}{if operation} {operation}{end}{if outcome} -> {outcome}{end}';

/**
 * Fields on every line. pino's default base (pid, hostname) is kept beside the
 * service name: replacing it with `{ service }` alone left two replicas behind
 * HAProxy writing to one journal indistinguishable. Outside a container the
 * hostname is shared by both replicas on a host, so the pid is what tells them
 * apart. Pretty lines still leave both out: a person at a terminal runs one.
 */
const baseFields = (): { service: string; pid: number; hostname: string } => ({ service: 'backup-graph', pid: process.pid, hostname: hostname() });

/**
 * JSON lines go to standard output through a bounded queue (bounded-stdout.ts):
 * a reader that falls behind costs lines, counted and reported, never
 * serving. Pretty lines (a person at a terminal) are written synchronously.
 * Neither has an exit flush that could wait on the reader: pino's default
 * asynchronous destination flushed itself in an `exit` handler, and
 * sonic-boom 4's flushSync retried every failed write forever, so a log
 * reader gone (a dead log shipper, `| head`) hung every exit for good.
 */
export function createLogger(level: LevelWithSilent = 'info', destination?: NodeJS.WritableStream, options: LoggerOptions = {}): Logger {
  const pinoOptions = { level, base: baseFields(), redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (options.format === 'pretty') {
    const pretty = loadPretty().PinoPretty({
      colorize: options.colorize ?? false,
      translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
      singleLine: true,
      ignore: 'pid,hostname,service,requestId,provider,operation,outcome',
      messageFormat: PRETTY_MESSAGE,
      sync: true,
      ...(destination ? { destination } : {}),
    });
    return pino(pinoOptions, pretty);
  }
  return pino(pinoOptions, destination ? (destination as pino.DestinationStream) : boundedStdout());
}
