import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { formatGraphQLError } from '../graphql/errors.js';
import { nestingRefusal } from '../graphql/limits/nesting.js';
import type { RequestPipeline } from '../graphql/pipeline.js';

/**
 * The nesting limit over HTTP, in front of Apollo Server (and the merged-fields guard, which
 * parses): Apollo's parser recurses into a deep document before any rule of ours could see it.
 * The WebSocket path checks in its own pipeline.
 */
export function nestingGuard(pipeline: RequestPipeline, countError: (code: string) => void): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const query: unknown = req.method === 'GET' ? req.query.query : (req.body as { query?: unknown } | undefined)?.query;
    const error = typeof query === 'string' ? nestingRefusal(query, pipeline.parseOptions.maxTokens) : null;
    if (!error) return next();
    pipeline.logErrors(String(res.locals.requestId), [error]);
    countError('QUERY_TOO_COMPLEX');
    res.status(400).json({ errors: [formatGraphQLError(pipeline.formatError, error)] });
  };
}
