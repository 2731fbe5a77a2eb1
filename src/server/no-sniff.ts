import type { NextFunction, Request, Response } from 'express';

/**
 * Error messages quote what the client sent (graphql-js: `Cannot query field "<img src=x
 * onerror=...>"`, a variable's value), so an answer's bytes are partly the client's, and a
 * GET's are a link's. Declared JSON, they are read as JSON only once browsers are told not to
 * guess the type from the bytes; GraphiQL's page and files set it already.
 */
export function noSniff(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('x-content-type-options', 'nosniff');
  next();
}

/**
 * The same header for the answers written before express sees the request (refusals of a request
 * node could not read or served wrongly, and of WebSocket handshakes), as a raw header line: they
 * are answers of the same listeners, and some name what the client sent (a header's name).
 */
export const NO_SNIFF_LINE = 'X-Content-Type-Options: nosniff\r\n';

/** NO_SNIFF_LINE as a `writeHead` header. */
export const NO_SNIFF_HEADER = { 'x-content-type-options': 'nosniff' } as const;
