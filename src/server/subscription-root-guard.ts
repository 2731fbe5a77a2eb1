import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { parse, type DocumentNode } from 'graphql';
import { formatGraphQLError } from '../graphql/errors.js';
import type { RequestPipeline } from '../graphql/pipeline.js';
import { mayDirectSubscriptionRoot, subscriptionRootDirectiveRefusal } from '../graphql/subscription-root-directives.js';
import { queryTextOf } from './query-text.js';

/**
 * `@skip` or `@include` on a subscription's root selection, refused over HTTP in front of
 * Apollo Server: Apollo validates the whole document before it looks at the operation's type,
 * and graphql-js's validation throws on such a subscription (HTTP 500), whichever operation of
 * the document was asked for. A query that does not parse goes on, and Apollo answers its syntax
 * error as always. The WebSocket path checks in its own pipeline.
 */
export function subscriptionRootGuard(pipeline: RequestPipeline, countError: (code: string) => void): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const query = queryTextOf(req);
    if (typeof query !== 'string' || !mayDirectSubscriptionRoot(query)) return next();
    let document: DocumentNode;
    try {
      document = parse(query, pipeline.parseOptions);
    } catch {
      return next();
    }
    const error = subscriptionRootDirectiveRefusal(document);
    if (!error) return next();
    pipeline.logErrors(String(res.locals.requestId), [error]);
    countError('BAD_USER_INPUT');
    res.status(400).json({ errors: [formatGraphQLError(pipeline.formatError, error)] });
  };
}
