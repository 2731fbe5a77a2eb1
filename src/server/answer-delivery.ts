import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { ConnectionLedger } from './connection-ledger.js';

export interface AnswerDelivery {
  /** Every byte of the answer was handed to the kernel while its connection was open. */
  delivered(res: ServerResponse): boolean;
}

/**
 * Keeps a stopping server from cutting answers still being written to slow
 * readers, and tells which answers were delivered.
 *
 * What node reports, measured on node 20 with a 25 MB answer to a client that
 * reads nothing: `server.close()` calls `closeIdleConnections()`, which takes a
 * connection whose answer was ended (`res.end()` called) for idle and destroys
 * it with most of the answer still queued in the process (the client had got
 * 4 MB). Node then emits 'finish' and sets `res.writableFinished` all the
 * same: the queued write's callback runs when the socket is destroyed. Nor do
 * the socket's counters say how much left: `writableLength` keeps a queued
 * write's whole size until the last of its bytes is out, and `bytesWritten`
 * counts queued bytes as written. What does tell: 'finish' while the socket is
 * still open means the last byte reached the kernel.
 *
 * An answer handed entirely to the kernel counts as delivered: the kernel
 * sends its send buffer after the socket is ended, even once the process has
 * exited, and whether the client reads it from there is beyond our view.
 */
export function trackAnswerDelivery(httpServer: Server, spared: (socket: Socket) => boolean = () => false): AnswerDelivery {
  const ledger = new ConnectionLedger<Socket>();
  const delivered = new WeakSet<ServerResponse>();
  httpServer.on('connection', (socket: Socket) => {
    ledger.opened(socket);
    socket.once('close', () => ledger.closed(socket));
  });
  httpServer.on('upgrade', (request: IncomingMessage) => ledger.handedOver(request.socket));
  httpServer.prependListener('request', (request: IncomingMessage, res: ServerResponse) => {
    const socket = request.socket;
    ledger.answerOwed(socket);
    // Ahead of node's own listener, which may start closing the connection once the answer is out.
    res.prependOnceListener('finish', () => {
      if (socket.destroyed) return;
      delivered.add(res);
      ledger.answerDelivered(socket);
    });
  });
  // Node's own version destroys connections with answers still queued (see above). Keep-alive
  // connections owing nothing still close at once, so a drain with nothing in flight is quick;
  // one whose next request's headers are still arriving is left to unfinished-heads-at-drain.ts (`spared`).
  httpServer.closeIdleConnections = () => {
    for (const socket of ledger.idle()) if (!spared(socket)) socket.destroy();
  };
  return { delivered: (res) => delivered.has(res) };
}
