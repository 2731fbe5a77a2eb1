import type { Logger } from 'pino';
import { isStoreTimeout } from '../state/bounded-call.js';
import { currentConnectionTrouble, type ConnectionTrouble } from '../state/redis-connection-trouble.js';
import { LogThrottle } from './log-throttle.js';
import { storeErrorFields, type StoreErrorFields } from './store-error-fields.js';

/**
 * At most one line per kind of failure per period, for each user of the
 * store (the read cache, idempotency records). Every cached read of a slow
 * Redis gives up after 250 ms: a line, with its stack, per give-up wrote
 * several a request, as fast as requests came.
 */
export const STORE_FAILURE_LINE_MS = 30_000;

/** The gateway's users of the shared store whose failures it logs and counts. */
export type StoreUser =
  | 'read_cache'
  | 'idempotency'
  | 'create_order'
  | 'restore_order'
  | 'rate_limit'
  | 'auth_failures'
  | 'secret_text_refusals'
  | 'subscriptions'
  | 'deletes_in_flight'
  | 'finish_times'
  | 'create_findings'
  | 'restore_outcomes'
  | 'started_operations';
/** Each a series of backup_graph_store_failures_total from the start (docs/operations.md lists them; a docs test holds the two together). */
export const STORE_USERS: readonly StoreUser[] = [
  'read_cache',
  'idempotency',
  'create_order',
  'restore_order',
  'rate_limit',
  'auth_failures',
  'secret_text_refusals',
  'subscriptions',
  'deletes_in_flight',
  'finish_times',
  'create_findings',
  'restore_outcomes',
  'started_operations',
];

/** A failure as the metric counts it: a few fixed values, where the log line names the error's own code. */
export type StoreFailureClass = 'timeout' | 'error';

/** Told of every failure, before the log line's throttle: what a metric counts. */
export type CountStoreFailure = (user: StoreUser, failure: StoreFailureClass) => void;

/** What went wrong, as a word to throttle by: a slow store and a refusing one each get their own line. */
export function storeFailureKind(error: unknown): string {
  if (isStoreTimeout(error)) return 'timeout';
  if (!(error instanceof Error)) return 'error';
  const { code } = error as { code?: unknown };
  return typeof code === 'string' && code !== '' ? code : error.name;
}

/**
 * A store's onStoreError for `logger`: a warn line saying `message`, the
 * kind of failure and how many of that kind went unlogged since its last
 * line. A timeout (ours, or ioredis's command timeout) is a line without a
 * stack (the stack is the timer's, which says nothing); a failure of Redis
 * or ioredis is its reason and the commands it failed (store-error-fields.ts);
 * any other failure keeps its error, stack and all, once a period, since it
 * may be a fault of the gateway's own.
 */
export function storeFailureLines(logger: Logger, message: string, periodMs = STORE_FAILURE_LINE_MS, counted?: { user: StoreUser; count: CountStoreFailure }): (error: unknown) => void {
  const lines = new LogThrottle(periodMs);
  return (error) => {
    counted?.count(counted.user, isStoreTimeout(error) ? 'timeout' : 'error');
    const errorFields = isStoreTimeout(error) ? { reason: error.message } : storeErrorFields(error);
    const trouble = connectionDown(error, errorFields);
    const failure = trouble?.code ?? storeFailureKind(error);
    const leftOut = lines.take(failure);
    if (leftOut === null) return;
    logger.warn({ failure, alsoFailedSinceLastLine: leftOut, ...errorFields, ...(trouble ? { connection: trouble.detail } : {}) }, message);
  };
}

/**
 * The connection's trouble, when a call failed for want of a connection: timed out, or given up by
 * ioredis (its retries, a connection closed), while the connection is down. A refusal Redis
 * answered came over a connection, and a failure that is no Redis one may be the gateway's own:
 * theirs stay as they are.
 */
/** The connection's trouble behind a store failure, as the failure lines read it (the request error lines' `cause`). */
export function connectionTroubleBehind(error: unknown): ConnectionTrouble | undefined {
  return connectionDown(error, isStoreTimeout(error) ? { reason: error.message } : storeErrorFields(error));
}

function connectionDown(error: unknown, fields: StoreErrorFields): ConnectionTrouble | undefined {
  if (!('reason' in fields) || (error instanceof Error && error.name === 'ReplyError')) return undefined;
  return currentConnectionTrouble();
}
