import type { IncomingHttpHeaders, Server } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/**
 * Whether a request's Content-Length alone says its body is past `limit` bytes. Only a body sent
 * without a content coding: the parser limits a compressed one once inflated, so its length on
 * the wire says nothing of that.
 */
export function declaresBodyPastLimit(headers: IncomingHttpHeaders, limit: number): boolean {
  const coding = headers['content-encoding']?.trim().toLowerCase();
  if (coding !== undefined && coding !== '' && coding !== 'identity') return false;
  const length = headers['content-length'];
  return length !== undefined && Number(length) > limit;
}

/**
 * Refuses, before its body is read, a request whose Content-Length is past the limit, and closes
 * its connection. Express's body parser read every byte declared before answering its 413 (to
 * keep the connection): a client declaring gigabytes was read, and its bytes thrown away, until
 * it stopped or the request timeout ended it with a 408 that never said why.
 */
export function refuseDeclaredPastLimit(limit: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!declaresBodyPastLimit(req.headers, limit)) return next();
    res.setHeader('connection', 'close');
    // The body parser's own error, so the error handler answers it in the same words.
    next(Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large', limit }));
  };
}

/**
 * `Expect: 100-continue`: node told every such client to send its body. A body past the limit is
 * told nothing of the kind: the request goes on unread, and refuseDeclaredPastLimit answers 413.
 */
export function continueOnlyWithinLimit(server: Server, limit: number): void {
  server.on('checkContinue', (request, response) => {
    if (!declaresBodyPastLimit(request.headers, limit)) response.writeContinue();
    server.emit('request', request, response);
  });
}
