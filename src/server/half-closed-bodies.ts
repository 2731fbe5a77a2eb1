import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Whether the request carries a body to read (a length above 0, or a transfer coding). */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * A client that half-closes its connection once its body is written (`socket.end()`, `nc -N`)
 * got no answer at all where its body was refused: a gzip header lying was answered 400 on a
 * connection left open, nothing on this one. Node ends the connection at the client's end
 * (`httpAllowHalfOpen` false), and a coded body is decoded off the main thread (zlib), so its
 * refusal came after that end and was written to nowhere. (A body read in the same turn, as a
 * plain one is, had its refusal out before node saw the end.)
 *
 * Here node keeps the connection (`httpAllowHalfOpen`), and the end is taken as node took it,
 * but for a request whose body is still being read: a body refused is answered, the connection
 * ended after the answer (node marks it the last); a body read whole ends the connection then,
 * as node would have at the client's end, so a request whose client went away is cut as before
 * (its reads cancelled as its answer closes, request-signal.ts), not run to an answer.
 */
export class HalfClosedBodies {
  /** Each connection's request whose body is being read, until it is read (or refused, or answered). */
  private readonly reading = new WeakMap<Socket, IncomingMessage>();
  /** Each HTTP connection's answers under way (an upgraded one's are none: the WebSocket's own end handling stands). */
  private readonly answering = new WeakMap<Socket, number>();
  /** Connections whose client ended while a body of theirs was being read. */
  private readonly endedWhileReading = new WeakSet<Socket>();

  constructor(server: Server) {
    // Read by node at each client end (socketOnEnd); @types/node does not list it.
    (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const socket = req.socket;
      const answering = this.answering.get(socket);
      // Once a connection: after node's own end handler, which marks the answer under way the last.
      if (answering === undefined) socket.on('end', () => this.clientEnded(socket));
      this.answering.set(socket, (answering ?? 0) + 1);
      if (hasBody(req)) this.reading.set(socket, req);
      // The answer's close, not the request's: a request closes once its body is read, not decoded.
      // Answered (or cut) before its body was taken up: node ends the connection after the answer it marked the last.
      res.once('close', () => {
        this.answering.set(socket, (this.answering.get(socket) ?? 1) - 1);
        this.bodyDone(req);
      });
    });
  }

  /** `parse` (express.json), its body's end after it taken as node takes a client's end, unless the body is refused. */
  whileReading(parse: RequestHandler): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) =>
      parse(req, res, (error?: unknown) => {
        const socket = req.socket;
        const endedMeanwhile = this.reading.get(socket) === req && this.endedWhileReading.has(socket);
        this.bodyDone(req);
        // A refusal is answered: node marked it the last, and ends the connection once it is out.
        if (error !== undefined) return next(error);
        if (endedMeanwhile && !socket.destroyed && !socket.writableEnded) socket.end();
        next();
      });
  }

  private bodyDone(req: IncomingMessage): void {
    if (this.reading.get(req.socket) !== req) return;
    this.reading.delete(req.socket);
  }

  private clientEnded(socket: Socket): void {
    // With no answer under way node ended the connection itself.
    const answering = this.answering.get(socket) ?? 0;
    if (socket.destroyed || socket.writableEnded || answering === 0) return;
    // Kept open only for the connection's one answer under way: a request before it (pipelined) is
    // the client's too, and is cut at its end as before, not run to an answer held open for the body.
    if (this.reading.has(socket) && answering === 1) {
      this.endedWhileReading.add(socket);
      return;
    }
    // What node does with `httpAllowHalfOpen` false: the connection ends, an answer still to come goes nowhere.
    socket.end();
  }
}
