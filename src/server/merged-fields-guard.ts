import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { parse, type DocumentNode } from 'graphql';
import { formatGraphQLError } from '../graphql/errors.js';
import { mayMergeTooMany, mergedFieldsError, mergedFieldsRefusal } from '../graphql/limits/merged-fields.js';
import type { RequestPipeline } from '../graphql/pipeline.js';
import { queryTextOf } from './query-text.js';

/**
 * The merged-fields limit over HTTP, in front of Apollo Server: Apollo runs
 * graphql-js's specified rules before any rule of ours, in one pass, so a
 * rule of ours would refuse the query only after the overlapping-fields rule
 * had paid for it. A query that cannot break the limit (see mayMergeTooMany)
 * goes straight on; one that does not parse goes on too, and Apollo answers
 * its syntax error as always. The WebSocket path checks in its own pipeline.
 */
export function mergedFieldsGuard(pipeline: RequestPipeline, countError: (code: string) => void): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const query = queryTextOf(req);
    if (typeof query !== 'string' || !mayMergeTooMany(query)) return next();
    let document: DocumentNode;
    try {
      document = parse(query, pipeline.parseOptions);
    } catch {
      return next();
    }
    const refusal = mergedFieldsRefusal(document);
    if (!refusal) return next();
    const error = mergedFieldsError(refusal);
    pipeline.logErrors(String(res.locals.requestId), [error]);
    countError('QUERY_TOO_COMPLEX');
    res.status(400).json({ errors: [formatGraphQLError(pipeline.formatError, error)] });
  };
}
