import type { Response } from 'express';
import { SHUTTING_DOWN_RETRY_AFTER_SECONDS } from './shutting-down-answer.js';

/** What a client is told of a request the drain timeout cut while it ran: for a mutation, that its outcome is unknown, never that it failed. */
export function drainCutAnswerMessage(mayHaveActed: boolean): string {
  const cut = 'the gateway is shutting down and cut this request while it ran (its drain timeout, shutdown.drainTimeoutMs, passed)';
  if (!mayHaveActed) return `${cut}: a query changes nothing; send it again`;
  return (
    `${cut}: this mutation's outcome is unknown, not failed: it may have acted. ` +
    'Send it again with the same idempotencyKey: that answers its outcome (its operation id) rather than acting twice; ' +
    "without a key, look at the provider (the instance's backups) before sending it again"
  );
}


/**
 * Answers a request the drain is about to cut, unless its answer has begun: 503 SHUTTING_DOWN in the
 * gateway's error form, Retry-After, and `Connection: close`. Cut with no answer, its connection
 * simply closed, and a browser sends a POST again on a new connection when a kept-alive one closes
 * unanswered (possibly to another replica: a mutation acted twice). Its own answer, should it come
 * later, is dropped (see answeredAlready). True when this call answered it.
 *
 * `Connection: close` only where no request came behind it on its connection (`lastOnConnection`):
 * node ends the connection after an answer saying close and drops the answers queued behind it, and
 * those are the drain's own 503s for requests it did not run (a body still arriving, a turn still
 * waiting), each saying close itself: told close, the cut request's answer took them with it, the
 * client got none, and the log counted them answered.
 */
export function answerCutRequest(res: Response, mayHaveActed: boolean, lastOnConnection = true): boolean {
  if (res.headersSent || res.writableEnded || res.destroyed) return false;
  res.locals.answeredByDrain = true;
  res.status(503).set({ 'retry-after': String(SHUTTING_DOWN_RETRY_AFTER_SECONDS) });
  if (lastOnConnection) res.set('connection', 'close');
  else res.removeHeader('connection');
  res.json({ errors: [{ message: drainCutAnswerMessage(mayHaveActed), extensions: { code: 'SHUTTING_DOWN' } }] });
  return true;
}
