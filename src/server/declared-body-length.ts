import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/**
 * Whether a request's Content-Length alone says its body is past `limit` bytes, in whatever
 * content coding: the parser limits a compressed body once inflated, never its bytes on the wire,
 * so it read every byte declared of one it could not inflate, or of one that inflates to nothing
 * (empty deflate blocks), and node read the rest of one answered before it was read. A JSON body
 * is never larger compressed, so one past the limit on the wire is past it inflated too.
 */
export function declaresBodyPastLimit(headers: IncomingHttpHeaders, limit: number): boolean {
  const length = headers['content-length'];
  return length !== undefined && Number(length) > limit;
}

/**
 * Refuses a body past the limit as soon as that is known, and closes its connection: from its
 * Content-Length before any of it is read, or, sent chunked, at the chunk that passes the limit.
 * Express's body parser read every byte declared, or every chunk until the last, before answering
 * its 413 (to keep the connection): a client declaring gigabytes, or never ending its chunks, was
 * read, its bytes thrown away, until it stopped or the request timeout ended it with a 408 that
 * never said why. `answer` writes the refusal the error handler would.
 */
export function refuseBodyPastLimit(limit: number, answer: (res: Response, error: Error) => void) {
  const tooLarge = (): Error => Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large', limit });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (declaresBodyPastLimit(req.headers, limit)) {
      res.setHeader('connection', 'close');
      // The body parser's own error, so the error handler answers it in the same words.
      return next(tooLarge());
    }
    // A Content-Length within the limit frames the body within it; only a chunked one can pass it.
    // Its bytes on the wire are counted, compressed or not (declaresBodyPastLimit says why).
    if (req.headers['transfer-encoding'] !== undefined) {
      let received = 0;
      const count = (chunk: Buffer): void => {
        received += chunk.length;
        if (received <= limit) return;
        req.off('data', count);
        if (res.headersSent) return;
        res.setHeader('connection', 'close');
        answer(res, tooLarge());
      };
      // Beside the parser's own listener, attached in this same turn: no chunk flows before both listen.
      req.on('data', count);
    }
    next();
  };
}

/**
 * `Expect: 100-continue`: node told every such client to send its body. A body past the limit is
 * told nothing of the kind: the request goes on unread, and refuseBodyPastLimit answers 413.
 */
export function continueOnlyWithinLimit(server: Server, limit: number): void {
  server.on('checkContinue', (request, response) => {
    if (!declaresBodyPastLimit(request.headers, limit)) response.writeContinue();
    server.emit('request', request, response);
  });
}

/**
 * Any answer to a request whose Content-Length is past the limit closes its connection: node
 * kept a connection alive past an answer sent before the body was read (a 401 to a caller
 * without a key, a 404) by reading the rest of the body, every byte declared, until the request
 * timeout. Listened to before the app, so the answer carries `Connection: close`.
 */
export function closeAfterBodyPastLimit(server: Server, limit: number): void {
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    if (declaresBodyPastLimit(request.headers, limit)) response.shouldKeepAlive = false;
  });
}
