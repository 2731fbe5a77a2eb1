import type { Request } from 'express';

/**
 * The query text Apollo Server will run for this request, read as it reads
 * it: a POST's from the parsed body, a GET's from the URL with
 * URLSearchParams (its first `query`; Apollo refuses a second). Not express's
 * `req.query`: node's querystring stops at 1,000 parameters, so a `query`
 * sent after 1,000 others was no query to the checks in front of Apollo
 * (nesting, fragment chain, merged fields), and Apollo then ran it unchecked.
 */
export function queryTextOf(req: Request): unknown {
  if (req.method !== 'GET') return (req.body as { query?: unknown } | undefined)?.query;
  // As url.parse, which Apollo's express integration reads `search` with: a `#` ends it.
  const hash = req.url.indexOf('#');
  const url = hash < 0 ? req.url : req.url.slice(0, hash);
  const start = url.indexOf('?');
  return start < 0 ? undefined : (new URLSearchParams(url.slice(start + 1)).get('query') ?? undefined);
}
