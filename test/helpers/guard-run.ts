import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { RequestPipeline } from '../../src/graphql/pipeline.js';

/**
 * One request through an HTTP guard in front of Apollo Server (src/server/*-guard.ts), with a
 * stand-in pipeline holding only what the guards read: its parse options, its error formatter
 * (which marks what it formatted) and its log. What the guard did is handed back whole: passed on,
 * counted, logged, answered.
 */
export interface GuardSeen {
  nexts: number;
  counted: string[];
  logged: Array<{ requestId: string; messages: string[] }>;
  status?: number;
  body?: unknown;
}

export type GuardFactory = (pipeline: RequestPipeline, countError: (code: string) => void) => RequestHandler;

export const REQUEST_ID = 'req-7';

export function guardRun(guard: GuardFactory, request: Partial<Request>, maxTokens = 100_000): GuardSeen {
  const seen: GuardSeen = { nexts: 0, counted: [], logged: [] };
  const pipeline = {
    parseOptions: { maxTokens },
    formatError: (formatted: GraphQLFormattedError) => ({ ...formatted, extensions: { ...formatted.extensions, formatted: true } }),
    logErrors: (requestId: string, errors: readonly GraphQLError[]) => void seen.logged.push({ requestId, messages: errors.map((error) => error.message) }),
  } as unknown as RequestPipeline;
  const res = {
    locals: { requestId: REQUEST_ID },
    status(code: number) {
      seen.status = code;
      return this;
    },
    json(body: unknown) {
      seen.body = body;
      return this;
    },
  } as unknown as Response;
  const next: NextFunction = () => void (seen.nexts += 1);
  void guard(pipeline, (code) => void seen.counted.push(code))({ method: 'POST', url: '/graphql', ...request } as Request, res, next);
  return seen;
}

/** What a guard did with a request it refused: 400 with the formatted error, logged with the request id, counted. */
export const refusedWith = (message: string, code: string): GuardSeen => ({
  nexts: 0,
  counted: [code],
  logged: [{ requestId: REQUEST_ID, messages: [message] }],
  status: 400,
  body: { errors: [{ message, extensions: { code, formatted: true } }] },
});

/** What a guard did with a request it let through: passed on, nothing else. */
export const PASSED_ON: GuardSeen = { nexts: 1, counted: [], logged: [] };
