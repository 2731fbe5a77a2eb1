import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { bodyErrorAnswer } from './body-errors.js';

/** Answers an error passed on by express, its body parser or a refusal that reads as one. */
export type AnswerError = (res: Response, error: unknown) => void;

/**
 * The gateway's answer to an error, in the GraphQL error form (`bodyErrorAnswer` picks the
 * status, words and code). Only a 5xx is logged: it is the gateway's own fault, and its
 * answer says nothing of it (no message, no stack), so the line is all an operator gets.
 * A 4xx is the client's mistake, answered in words that tell it what to change; logging
 * each would let any client fill the log.
 *
 * An answer already begun is left as it went: a chunked body refused as it passed the limit
 * (refuseBodyPastLimit) is answered already, and the parser tells of it once the connection
 * ends. A 5xx then is still the gateway's fault, logged as one, saying the client may have got
 * a cut answer: returning unlogged left no trace of it at all.
 */
export function errorAnswerer(logger: Pick<Logger, 'error'>): AnswerError {
  return (res, error) => {
    const { status, message, code } = bodyErrorAnswer(error);
    if (res.headersSent) {
      if (status >= 500) logger.error({ err: error, answerBegun: true }, 'request failed after its answer had begun: the client may have got a cut answer');
      return;
    }
    if (status >= 500) logger.error({ err: error }, 'request failed');
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}

/** Express's own error page would print a stack: every error answers JSON instead. */
export function answerErrorsAsJson(answerError: AnswerError): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => answerError(res, error);
}
