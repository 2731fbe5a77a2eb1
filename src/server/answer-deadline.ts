import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { AnswerTransport } from '../observability/metrics.js';

/**
 * The code a request answered by its deadline carries. The deadline sits above the longest a
 * healthy request takes (upstream timeouts and retries bound every provider call), so one that
 * reaches it is work the gateway lost: a fault of its own, not the provider's.
 */
export const ANSWER_DEADLINE_CODE = 'INTERNAL_SERVER_ERROR';
/** Gateway Timeout: the gateway, not its client, gave up waiting. */
export const ANSWER_DEADLINE_STATUS = 504;

/** What the client is told: for a mutation, that its outcome is unknown and how to learn it; never that it failed. */
export function answerDeadlineMessage(deadlineMs: number, mayHaveActed: boolean): string {
  const waited = `the gateway began no answer within limits.answerDeadlineMs (${deadlineMs} ms)`;
  if (!mayHaveActed) return `${waited}: the query's work was lost (a fault in the gateway, logged by this request id); send it again`;
  return (
    `${waited}: this mutation's outcome is unknown, not failed: it may have acted, and may still be running. ` +
    'Send it again with the same idempotencyKey: once it has ended that answers its outcome (its operation id, to follow with operation(id:)), ' +
    'and CONFLICT while it still runs; without a key, look at the provider (the instance\'s backups) before sending it again'
  );
}

/** What each transport's deadline answer is called in its line: the words operators and alerts read. */
const ANSWERED_BY_DEADLINE: Record<AnswerTransport, string> = { http: 'request', websocket: 'WebSocket operation' };

/** Where a deadline answer is recorded: its transport's count, the error code's count, and the log. */
export interface DeadlineAnswerRecord {
  /** `backup_graph_answer_deadline_answers_total`, for the transport answering. */
  countDeadlineAnswer(): void;
  /** `backup_graph_graphql_errors_total`, as every error code sent is counted. */
  countError(code: string): void;
  logger: Pick<Logger, 'error'>;
}

/**
 * Counts and logs a request the deadline answered, the same over HTTP and WebSocket: at error, as
 * it is a fault of the gateway's own (see ANSWER_DEADLINE_CODE), with what ties it to the request's
 * other lines.
 */
export function deadlineAnswered(transport: AnswerTransport, record: DeadlineAnswerRecord, line: { requestId: string; answerDeadlineMs: number; mayHaveActed: boolean }): void {
  record.countDeadlineAnswer();
  record.countError(ANSWER_DEADLINE_CODE);
  record.logger.error(
    line,
    `${ANSWERED_BY_DEADLINE[transport]} answered by its deadline (limits.answerDeadlineMs): no answer had begun, its work was lost or is stuck; a bug to report`,
  );
}

export interface AnswerDeadlineOptions {
  deadlineMs: number;
  /** Whether the request may have acted (a mutation, or anything not surely a query). */
  mayHaveActed(req: Request): boolean;
  /** The deadline answered it: count and log. */
  onAnswered(req: Request, res: Response, mayHaveActed: boolean): void;
}

/**
 * Express middleware, just before the request runs: a request with no answer begun when its
 * deadline comes is answered then, in the gateway's error form. Its work is not stopped (it may
 * have acted; a mutation's audit line still comes when it ends), and its own answer, should it
 * come later, is dropped (see `answeredAlready`): one answer per request.
 */
export function answerDeadline(options: AnswerDeadlineOptions): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const timer = setTimeout(() => {
      if (res.headersSent || res.writableEnded || res.destroyed) return;
      const mayHaveActed = options.mayHaveActed(req);
      res.locals.answeredByDeadline = true;
      options.onAnswered(req, res, mayHaveActed);
      res.status(ANSWER_DEADLINE_STATUS).json({ errors: [{ message: answerDeadlineMessage(options.deadlineMs, mayHaveActed), extensions: { code: ANSWER_DEADLINE_CODE } }] });
    }, options.deadlineMs);
    // Answered, or its client gone: nothing left to bound.
    res.once('close', () => clearTimeout(timer));
    res.once('finish', () => clearTimeout(timer));
    next();
  };
}

/** Whether the deadline (or the drain, cutting it: drain-cut-answer.ts) answered this request already: its own answer, come late, is dropped. */
export function answeredAlready(res: Response): boolean {
  return res.locals.answeredByDeadline === true || res.locals.answeredByDrain === true;
}

/**
 * A WebSocket query's or mutation's execution, raced against its deadline: the deadline's
 * result is sent (`next`, then `complete`) if it comes first, and the execution's own, later, is
 * dropped (`onLate`).
 */
export function raceAnswerDeadline<Result>(work: Promise<Result> | Result, deadlineMs: number, atDeadline: () => Result, onLate: () => void): Promise<Result> {
  if (!(work instanceof Promise)) return Promise.resolve(work);
  let timer: NodeJS.Timeout | undefined;
  let deadlinePassed = false;
  const deadline = new Promise<Result>((resolve) => {
    timer = setTimeout(() => {
      deadlinePassed = true;
      resolve(atDeadline());
    }, deadlineMs);
  });
  const settled = work.finally(() => {
    clearTimeout(timer);
    if (deadlinePassed) onLate();
  });
  // A rejection after the deadline answered is the execution's own, dropped with it: not an unhandled one.
  settled.catch(() => {});
  return Promise.race([settled, deadline]);
}
