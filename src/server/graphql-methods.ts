import type { NextFunction, Request, Response } from 'express';

/**
 * The methods passed on to Apollo. HEAD is among them only for Apollo's own answer: 405 with
 * `Allow: GET, POST` (or its CSRF 400 without a preflight header), no body, the same as this
 * route's other refusals bar the words.
 */
const ANSWERED = new Set(['GET', 'HEAD', 'POST']);

/**
 * Any other method on the GraphQL route is refused as one, 405 with `Allow`: PUT, PATCH, DELETE
 * and OPTIONS reached Apollo, which answered 400 "refused as a possible cross-site request" (its
 * CSRF check reads any request without a preflight header that way), sending a client that only
 * picked the wrong method looking for a CSRF problem.
 */
export function refuseOtherMethods(req: Request, res: Response, next: NextFunction): void {
  if (ANSWERED.has(req.method)) return next();
  res
    .status(405)
    .set('Allow', 'GET, POST')
    .json({ errors: [{ message: `method ${req.method} is not answered here: send GraphQL requests with POST (or GET for queries)`, extensions: { code: 'BAD_USER_INPUT' } }] });
}
