// No ioredis here: the gateway's shutdown reads these whether or not Redis is configured, and
// the bundle serving a config loads ioredis only when one is (a chunk of its own).

/**
 * The longest any command waits for its answer. A Redis that stops answering
 * while its connection stays up (paused, overloaded, a network dropping
 * packets) otherwise holds every caller until TCP gives up, hours later:
 * past this a command fails as on a Redis error. Callers on a request's path
 * wait less (the read cache 250 ms, idempotency records 2 s).
 */
export const REDIS_COMMAND_TIMEOUT_MS = 5_000;

/**
 * When QUIT must be answered by, for a shutdown that talks to Redis from now
 * on: one command timeout for all of it. The watches' lease releases and
 * unsubscribes go first; a stalled Redis fails them at the command timeout,
 * and QUIT, behind them on the same connections, would have waited one more.
 */
export const closeDeadline = (): number => Date.now() + REDIS_COMMAND_TIMEOUT_MS;
