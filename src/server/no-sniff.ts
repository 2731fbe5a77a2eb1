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
