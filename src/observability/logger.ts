import { pino, type Logger, type LevelWithSilent } from 'pino';

/**
 * Paths pino blanks in every log line. Credentials should never reach a log
 * call in the first place; this is the second line of defence.
 */
export const REDACTED_PATHS = [
  'password',
  'token',
  'apiKey',
  'sessionId',
  'key',
  'auth',
  'authinfo',
  'authorization',
  '*.password',
  '*.token',
  '*.apiKey',
  '*.sessionId',
  '*.key',
  '*.auth',
  '*.authinfo',
  '*.authorization',
  'req.headers.authorization',
  'headers.authorization',
  'headers["es-api-key"]',
];

export function createLogger(level: LevelWithSilent = 'info', destination?: NodeJS.WritableStream): Logger {
  const options = { level, base: { service: 'backup-graph' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}
