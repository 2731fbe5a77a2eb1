import type { IncomingMessage, Server } from 'node:http';

/**
 * A request read on a connection whose sending side the gateway has already ended is never run:
 * its connection is destroyed on the spot. Nothing can answer it there (node cannot write after
 * the end), and run, it acted unanswered.
 *
 * The drain ends (half-closes) a kept-alive connection once its last answer is out: Apollo's drain
 * does so to every connection left owing nothing, and an answer begun before the signal carries no
 * `Connection: close` (close-when-draining.ts). A client that sent its next request before it read
 * that end had the request read all the same, since node keeps reading a half-closed connection:
 * measured with the compiled gateway, a query sent on the heels of a 24 MB answer written during the
 * drain ran (241 provider calls), its answer went nowhere, and it held the drain to its timeout
 * (exit 1, "cut 1 HTTP request(s)"); a mutation there acted, and a browser sends it again on a new
 * connection. Destroyed unrun, the client's retry cannot act twice.
 */
export function dropRequestsOnEndedConnections(httpServer: Server, onDropped: (req: IncomingMessage) => void = () => undefined): void {
  // Prepended after the other request listeners (the place in line, the answer ledgers): it runs
  // before them, and each leaves a destroyed connection's request alone.
  httpServer.prependListener('request', (req: IncomingMessage) => {
    if (!req.socket.writableEnded) return;
    req.socket.destroy();
    onDropped(req);
  });
}
