import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';

/** A caller's own request id is kept when it is this plain: it goes into log lines and upstream headers. */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** The request's id (`res.locals.requestId`, and the `x-request-id` answer header): the caller's, or a new one. */
export function assignRequestId(req: Request, res: Response): string {
  const header = req.headers['x-request-id'];
  const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
  res.setHeader('x-request-id', requestId);
  res.locals.requestId = requestId;
  return requestId;
}
