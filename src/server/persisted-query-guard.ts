import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { GraphQLError } from 'graphql';
import { formatGraphQLError } from '../graphql/errors.js';
import { hashNotStringMessage } from '../graphql/persisted-query-check.js';
import type { RequestPipeline } from '../graphql/pipeline.js';

/**
 * A persisted query's `sha256Hash` that is no string, refused over HTTP in front of Apollo Server
 * as its other persisted-query mistakes are (400 `BAD_USER_INPUT`). Apollo looked a hash alone up
 * whatever it was and answered HTTP 200 `PersistedQueryNotFound`, which tells an APQ client to
 * send its text: sent with it, the same hash was "provided sha does not match query", so the
 * client went round without ever being told what was wrong. A version other than 1, and
 * `persistedQuery` that is no object, are left to Apollo's own answers.
 */
export function persistedQueryGuard(pipeline: RequestPipeline, countError: (code: string) => void): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const persisted = persistedQueryOf(req);
    if (typeof persisted !== 'object' || persisted === null || !('version' in persisted) || persisted.version !== 1) return next();
    const hash = 'sha256Hash' in persisted ? persisted.sha256Hash : undefined;
    if (typeof hash === 'string') return next();
    const error = new GraphQLError(hashNotStringMessage(hash), { extensions: { code: 'BAD_USER_INPUT' } });
    pipeline.logErrors(String(res.locals.requestId), [error]);
    countError('BAD_USER_INPUT');
    res.status(400).json({ errors: [formatGraphQLError(pipeline.formatError, error)] });
  };
}

/** `extensions.persistedQuery` as Apollo will read it: a POST's from the parsed body, a GET's from its `extensions` parameter (JSON Apollo refuses on its own is let through). */
function persistedQueryOf(req: Request): unknown {
  if (req.method !== 'GET') {
    const extensions = (req.body as { extensions?: unknown } | undefined)?.extensions;
    return typeof extensions === 'object' && extensions !== null ? (extensions as { persistedQuery?: unknown }).persistedQuery : undefined;
  }
  // As queryTextOf reads the URL (query-text.ts): a `#` ends it, and node's querystring is not used.
  const hash = req.url.indexOf('#');
  const url = hash < 0 ? req.url : req.url.slice(0, hash);
  const start = url.indexOf('?');
  const text = start < 0 ? null : new URLSearchParams(url.slice(start + 1)).get('extensions');
  if (text === null) return undefined;
  try {
    const extensions: unknown = JSON.parse(text);
    return typeof extensions === 'object' && extensions !== null ? (extensions as { persistedQuery?: unknown }).persistedQuery : undefined;
  } catch {
    return undefined;
  }
}
