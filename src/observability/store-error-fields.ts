/**
 * A store failure as log fields. ioredis's failures of a MULTI or a pipeline
 * carry `previousErrors`, often holding the very error that carries them, so
 * a logged `err` wrote `[{"previousErrors":"[Circular]"}, ...]`, a stack of
 * ioredis's own event handler and no word of what was asked: several lines'
 * worth of noise per failure while Redis was down. A failure Redis or
 * ioredis raised becomes one short line: its name or code, its first line of
 * text and the names of the commands it failed (never their arguments: keys
 * and values). Any other error may be a fault of the gateway's own and keeps
 * its stack.
 */

/** ioredis's and redis-errors' own error classes: what a Redis down, slow or refusing raises. */
const REDIS_ERROR_NAMES = new Set(['ReplyError', 'AbortError', 'InterruptError', 'ParserError', 'RedisError', 'MaxRetriesPerRequestError', 'ClusterAllFailedError']);
/** ioredis's plain Errors for a connection gone: no class, no code. */
const REDIS_CONNECTION_MESSAGES = new Set(['Connection is closed.', 'Stream isn\'t writeable and enableOfflineQueue options is false']);
/**
 * Node's own codes for a caller's mistake (ERR_INVALID_ARG_TYPE, ERR_OUT_OF_RANGE...): a fault of
 * the gateway's, whose stack is kept; its TLS and SSL codes are a connection's failure, as the
 * system's (ECONNREFUSED) and any other code are.
 */
const NODE_USAGE_CODE = /^ERR_(?!SSL_|TLS_)/;
const REASON_MAX_CHARS = 200;
const COMMANDS_LISTED = 10;

export type StoreErrorFields = { reason: string; commands?: string[] } | { err: unknown };

export function storeErrorFields(error: unknown): StoreErrorFields {
  if (!isRedisFailure(error)) return { err: error };
  const commands = commandNames(error);
  return { reason: firstLine(error.message), ...(commands.length > 0 ? { commands } : {}) };
}

function isRedisFailure(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  const { code, command, previousErrors } = error as { code?: unknown; command?: unknown; previousErrors?: unknown };
  return REDIS_ERROR_NAMES.has(error.name) || REDIS_CONNECTION_MESSAGES.has(error.message) || (typeof code === 'string' && !NODE_USAGE_CODE.test(code)) || command !== undefined || previousErrors !== undefined;
}

/** The failed commands' names, each once, in order: the error's own, then those of the batch it ended. */
function commandNames(error: Error): string[] {
  const names = new Set<string>();
  const seen = new Set<unknown>();
  const visit = (candidate: unknown): void => {
    // The batch's errors may be the error itself: each is read once.
    if (typeof candidate !== 'object' || candidate === null || seen.has(candidate)) return;
    seen.add(candidate);
    const { command, previousErrors } = candidate as { command?: unknown; previousErrors?: unknown };
    const name = (command as { name?: unknown } | undefined)?.name;
    if (typeof name === 'string' && /^[a-z][a-z0-9_.|-]{0,39}$/i.test(name) && names.size < COMMANDS_LISTED) names.add(name.toLowerCase());
    if (Array.isArray(previousErrors)) for (const previous of previousErrors.slice(0, COMMANDS_LISTED)) visit(previous);
  };
  visit(error);
  return [...names];
}

/**
 * Redis 6.2 and later quote a refused command's first arguments: "ERR unknown command 'EVALSHA',
 * with args beginning with: 'abc…' '1' 'backup-graph:limits:…'", keys and values a Redis that
 * renamed or disabled a command (a common hardening) would put in every failure line.
 */
const QUOTED_ARGUMENTS = /,? with args beginning with:.*$/i;

/** One line, bounded, without the arguments Redis quotes nor the user and password of any URL in it. */
function firstLine(message: string): string {
  const line = (message.split('\n')[0] ?? '').replace(QUOTED_ARGUMENTS, ' (its arguments left out)').replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1[redacted]@');
  return line.slice(0, REASON_MAX_CHARS);
}
