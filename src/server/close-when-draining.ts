import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Once the drain starts, every HTTP answer not yet begun goes out with `Connection: close`, so
 * node closes its connection after it and the client sends its next request on a new one.
 *
 * Without it an answer finished during the drain left its keep-alive connection open; the client
 * sent its next request there and the drain closed the connection unanswered (measured with the
 * Dockerfile's command under a dashboard loop: undici's "other side closed"). For a mutation that
 * is the ambiguous failure: sent, and no word whether it acted. A new connection is refused once the
 * listener has closed (nothing sent: safe to send elsewhere) or, behind a balancer, goes to another
 * replica.
 */
export class CloseWhenDraining {
  private draining = false;
  /** Answers whose headers are not written yet. */
  private readonly unstarted = new Set<ServerResponse>();

  constructor(httpServer: Server) {
    httpServer.prependListener('request', (_request: IncomingMessage, res: ServerResponse) => {
      if (this.draining) {
        closeAfter(res);
        return;
      }
      this.unstarted.add(res);
      res.once('close', () => this.unstarted.delete(res));
    });
  }

  begin(): void {
    if (this.draining) return;
    this.draining = true;
    for (const res of this.unstarted) closeAfter(res);
    this.unstarted.clear();
  }
}

function closeAfter(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader('connection', 'close');
}
