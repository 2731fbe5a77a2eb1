import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { DrainRefusalReason } from '../observability/metrics.js';
import { requestHeadArriving } from './request-head-begun.js';
import { answerShuttingDown, shuttingDownRawAnswer } from './shutting-down-answer.js';

export const SHUTTING_DOWN_UNFINISHED_HEAD_MESSAGE =
  'the gateway is shutting down and did not run this request, whose headers were still arriving when it stopped taking connections: nothing was sent; send it again on a new connection';

export const SHUTTING_DOWN_UPGRADE_MESSAGE =
  'the gateway is shutting down and takes no new WebSocket connection: nothing was run; connect again on a new connection';

/** How long the drain waits for the headers still arriving when the listener closes, at most: as long as a WebSocket client's close frame is waited for. */
export const UNFINISHED_HEAD_WAIT_MS = 1_000;

/**
 * A connection whose request headers were still arriving when the listener closed is answered,
 * 503 SHUTTING_DOWN, unrun. It owes no answer, so the drain's close of idle connections
 * (answer-delivery.ts) destroyed it, or Apollo's drain ended it a moment later: the client's rest
 * of the headers met a closed connection (a reset, no answer; a browser sends it again, a service
 * reads a network failure).
 *
 * Such a connection is spared that close and given up to UNFINISHED_HEAD_WAIT_MS (or what is left
 * of the drain) to finish its headers: its request is then answered SHUTTING_DOWN in place of the
 * app, unrun, with `Connection: close`. One whose headers still have not come then is answered all
 * the same, as node answers a request whose headers time out (408): the answer, then the end.
 * A WebSocket upgrade whose headers come is answered so as soon as they do, on the connection
 * itself: the WebSocket server has stopped taking upgrades, and node hands an upgrade no response.
 *
 * "Headers still arriving" is node's HTTP parser's own word (request-head-begun.ts): a request
 * begun, its headers not all come. Bytes of the next request that came in the same read as the end
 * of the last one count so (read from the byte counts, as before, that connection was closed under
 * them); empty lines between requests do not (read so, a CRLF sent after a body, in a read of its
 * own, was held the whole wait and then answered a 503 for no request). Where node does not tell,
 * the byte counts decide: the connection has read more than it had once its last request's headers
 * (or body) were read. A connection that has sent nothing is closed as before: no request, nothing
 * to answer.
 */
export class AnswerUnfinishedHeadsAtDrain {
  private readonly open = new Set<Socket>();
  private readonly upgraded = new WeakSet<Socket>();
  /** Per connection, the bytes it had read once its last request's headers (or body) were read. */
  private readonly readByLastRequest = new WeakMap<Socket, number>();
  /** Connections whose headers were still arriving at the listener's close, until their request comes. */
  private readonly awaited = new Set<Socket>();
  private settle: (() => void) | undefined;
  /** Set by begin(): the WebSocket server takes no upgrade from the listener's close on. */
  private closed = false;

  constructor(
    httpServer: Server,
    /** Whether an answer on the connection has not closed yet (close-when-draining.ts follows each connection's newest). */
    private readonly owesAnswer: (socket: Socket) => boolean,
    /** Calls back once the connection owes no answer (at once when it owes none). */
    private readonly afterAnswers: (socket: Socket, then: () => void) => void,
    /** Told of each request (or unfinished head, or upgrade) answered so. */
    private readonly onRefused: (reason: Extract<DrainRefusalReason, 'head_unfinished' | 'upgrade_kept_alive'>) => void = () => undefined,
  ) {
    httpServer.on('connection', (socket: Socket) => {
      this.open.add(socket);
      socket.once('close', () => {
        this.open.delete(socket);
        this.forget(socket);
      });
    });
    httpServer.on('upgrade', (request: IncomingMessage) => {
      this.upgraded.add(request.socket);
      // The WebSocket server stopped taking upgrades at the drain's start: no one else answers it,
      // and left to settled() it waited out the whole hold for the answer its head has earned now.
      if (this.awaited.has(request.socket)) return void this.answerInPlace(request.socket);
      // One on a connection kept alive into the drain (an answer begun before the signal says
      // keep-alive): nobody answered it either, and it waited for Apollo's drain, which ended the
      // connection under it. Behind an answer still owed (node hands the upgrade over as soon as it
      // is read, the client may have read the answer's last byte before node saw it leave), it
      // follows that answer: written at once, its bytes cut into it. One whose connection that
      // answer closed (it said close) is no one's to answer.
      if (!this.closed) return;
      const socket = request.socket;
      this.afterAnswers(socket, () => {
        if (!socket.writableEnded && !socket.destroyed) this.answerInPlace(socket, SHUTTING_DOWN_UPGRADE_MESSAGE, 'upgrade_kept_alive');
      });
    });
  }

  /**
   * The listener is about to close: the connections owing no answer that have read bytes since
   * their last request are awaited (and spared the close of idle connections).
   */
  begin(): void {
    this.closed = true;
    for (const socket of this.open) {
      if (socket.destroyed || socket.writableEnded || this.upgraded.has(socket) || this.owesAnswer(socket)) continue;
      if (requestHeadArriving(socket) ?? socket.bytesRead > (this.readByLastRequest.get(socket) ?? 0)) this.awaited.add(socket);
    }
  }

  /** Whether the close of idle connections leaves this one open: its headers are awaited. */
  spared(socket: Socket): boolean {
    return this.awaited.has(socket);
  }

  /**
   * For the app's request listener, which sees every request: true when this one is answered here,
   * unrun (its headers were still arriving at the close); else its bytes are noted as read.
   */
  answered(request: IncomingMessage, response: ServerResponse): boolean {
    const socket = request.socket;
    if (!this.awaited.has(socket)) {
      this.readByLastRequest.set(socket, socket.bytesRead);
      if (!request.complete) request.once('end', () => this.readByLastRequest.set(socket, socket.bytesRead));
      return false;
    }
    this.forget(socket);
    answerShuttingDown(response, SHUTTING_DOWN_UNFINISHED_HEAD_MESSAGE);
    this.onRefused('head_unfinished');
    return true;
  }

  /** Resolves once every awaited connection has its request answered or has closed, or after `waitMs`; those still awaited then are answered now. */
  async settled(waitMs: number): Promise<void> {
    if (this.awaited.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.settle = resolve;
        timer = setTimeout(resolve, waitMs);
      });
      clearTimeout(timer);
      this.settle = undefined;
    }
    this.answerNow();
  }

  /** Every connection still awaited: an answer in its headers' place, then its end. The connections answered so. */
  answerNow(): Socket[] {
    const answered: Socket[] = [];
    for (const socket of [...this.awaited]) if (this.answerInPlace(socket)) answered.push(socket);
    return answered;
  }

  /** The answer written on the connection itself (node has no response object for it), then its end; false when it has closed. */
  private answerInPlace(socket: Socket, message = SHUTTING_DOWN_UNFINISHED_HEAD_MESSAGE, reason: 'head_unfinished' | 'upgrade_kept_alive' = 'head_unfinished'): boolean {
    this.forget(socket);
    if (socket.destroyed) return false;
    // Once the answer has left: the rest of the headers (or an upgraded connection's frames), should it come, is no request.
    socket.once('finish', () => socket.destroy());
    socket.end(shuttingDownRawAnswer(message));
    this.onRefused(reason);
    return true;
  }

  private forget(socket: Socket): void {
    if (!this.awaited.delete(socket)) return;
    if (this.awaited.size === 0) this.settle?.();
  }
}
