import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Once the drain starts, the answer to the newest request on each connection, if not yet begun,
 * goes out with `Connection: close`, so node closes the connection after it and the client sends
 * its next request on a new one.
 *
 * Without it an answer finished during the drain left its keep-alive connection open; the client
 * sent its next request there and the drain closed the connection unanswered (measured with the
 * Dockerfile's command under a dashboard loop: undici's "other side closed"). For a mutation that
 * is the ambiguous failure: sent, and no word whether it acted. A new connection is refused once the
 * listener has closed (nothing sent: safe to send elsewhere) or, behind a balancer, goes to another
 * replica.
 *
 * The newest only: node ends the connection after an answer saying close and drops the answers
 * queued behind it, so a pipelined request received behind one told to close ran (a mutation acted)
 * and was never answered. A request received during the drain takes the close from the one before.
 */
export class CloseWhenDraining {
  private draining = false;
  /** Per connection, the answer to its newest request while that answer is open. */
  private readonly newest = new Map<Socket, ServerResponse>();
  private readonly watched = new WeakSet<Socket>();

  constructor(httpServer: Server) {
    httpServer.prependListener('request', (request: IncomingMessage, res: ServerResponse) => {
      const socket = request.socket;
      const before = this.newest.get(socket);
      this.newest.set(socket, res);
      res.once('close', () => {
        if (this.newest.get(socket) === res) this.newest.delete(socket);
      });
      // A connection closed under answers still queued on it: theirs need not come for it to go.
      if (!this.watched.has(socket)) {
        this.watched.add(socket);
        socket.once('close', () => this.newest.delete(socket));
      }
      if (!this.draining) return;
      if (before !== undefined && !before.headersSent) before.removeHeader('connection');
      closeAfter(res);
    });
  }

  /** Whether this answer is its connection's newest while open: no request has come behind it. */
  isNewest(res: ServerResponse): boolean {
    return this.newest.get(res.req.socket) === res;
  }

  /** Whether the connection's newest answer (and so every answer on it) has not closed yet. */
  owesAnswer(socket: Socket): boolean {
    return this.newest.has(socket);
  }

  /** Calls `then` once the connection owes no answer: at once, or when its newest answer closes. */
  afterAnswers(socket: Socket, then: () => void): void {
    const newest = this.newest.get(socket);
    if (newest === undefined) return then();
    newest.once('close', () => this.afterAnswers(socket, then));
  }

  begin(): void {
    if (this.draining) return;
    this.draining = true;
    for (const res of this.newest.values()) closeAfter(res);
  }
}

function closeAfter(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('connection', 'close');
}
