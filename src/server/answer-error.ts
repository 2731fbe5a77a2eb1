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
 */
export function errorAnswerer(logger: Pick<Logger, 'error'>): AnswerError {
  return (res, error) => {
    const { status, message, code } = bodyErrorAnswer(error);
    if (status >= 500) logger.error({ err: error }, 'request failed');
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}

/** Express's own error page would print a stack: every error answers JSON instead. */
export function answerErrorsAsJson(answerError: AnswerError): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    // A chunked body refused as it passed the limit (refuseBodyPastLimit) is answered already; the parser tells of it once the connection ends.
    if (res.headersSent) return;
    answerError(res, error);
  };
}
