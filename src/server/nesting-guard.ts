import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { parse, type GraphQLError } from 'graphql';
import { formatGraphQLError } from '../graphql/errors.js';
import { fragmentChainRefusal, mayChainTooDeep } from '../graphql/limits/fragment-chain.js';
import { nestingRefusal } from '../graphql/limits/nesting.js';
import type { RequestPipeline } from '../graphql/pipeline.js';
import { queryTextOf } from './query-text.js';

/** A chain of fragments too long for validation's recursion; null for one within the limit, or a query that does not parse (Apollo says why). */
function chainRefusal(query: string, pipeline: RequestPipeline): GraphQLError | null {
  if (!mayChainTooDeep(query)) return null;
  try {
    return fragmentChainRefusal(parse(query, pipeline.parseOptions));
  } catch {
    return null;
  }
}

/**
 * The nesting and fragment-chain limits over HTTP, in front of Apollo Server (and the
 * merged-fields guard, which parses): Apollo's parser recurses into a deep document, and its
 * validation into a long chain of fragments, before any rule of ours could see them. The
 * WebSocket path checks in its own pipeline.
 */
export function nestingGuard(pipeline: RequestPipeline, countError: (code: string) => void): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const query = queryTextOf(req);
    if (typeof query !== 'string') return next();
    // The nesting first: the parse that reads the chain recurses into what is nested.
    const error = nestingRefusal(query, pipeline.parseOptions.maxTokens) ?? chainRefusal(query, pipeline);
    if (!error) return next();
    pipeline.logErrors(String(res.locals.requestId), [error]);
    countError('QUERY_TOO_COMPLEX');
    res.status(400).json({ errors: [formatGraphQLError(pipeline.formatError, error)] });
  };
}
