import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Requests one connection may have waiting at the gate. Each holds its parsed body (up to
 * limits.bodyLimitBytes, 1 MiB) until its turn, and node keeps reading a connection whose answers
 * are not yet written: 1,000 pipelined 1 MiB requests behind one long answer held 1 GB. Past it a
 * request is answered at once, 429 QUERY_TOO_COMPLEX, unrun, and its body let go.
 */
export const MAX_WAITING_PER_CONNECTION = 100;

export const WAITING_PER_CONNECTION_MESSAGE = `Too many requests waiting on this HTTP connection (${MAX_WAITING_PER_CONNECTION}): pipelined requests run one at a time; send this one again once earlier answers have arrived, or on another connection.`;

/** The log line of such a refusal (one per address per period, as the other refusals a caller brings about at will). */
export const WAITING_REFUSED_LINE = 'HTTP request refused: too many requests waiting on its connection';

/** A connection's requests in node's order, and how many of them wait at the gate. */
interface Line {
  turns: Turn[];
  held: number;
}

/** A request on a connection whose answer has not finished yet. */
interface Turn {
  /** Its answer finished or closed: nothing more to run for it. */
  over: boolean;
  /** Set while the request waits at the gate for those before it on its connection. */
  proceed: (() => void) | null;
  /** Set with proceed: answers it unrun, SHUTTING_DOWN, once the drain begins. */
  turnAway: (() => void) | null;
  /** Its connection's line. */
  line: Line;
}

export const SHUTTING_DOWN_WAITING_MESSAGE = 'the gateway is shutting down and did not run this request, which waited for earlier ones on its connection: nothing was sent; send it again on a new connection';

/**
 * Runs a connection's pipelined requests one at a time. Node hands the app every request it has
 * parsed at once and holds their answers in order: 1,000 requests written in one go on one socket
 * ran 1,000 operations together (984 upstream calls waiting for the account's slots, two such
 * sockets filling its waiting line), for no gain to the client, whose answers come in order anyway.
 *
 * Each request takes its place in its connection's line when node hands it over (in the order
 * node parsed them, so the line cannot be reordered by the app's asynchronous steps: a request run
 * before an earlier one would wait for it, and its answer, held behind the earlier one's, would
 * never finish). `waitForEarlier`, placed after the body is read, holds a request until every
 * request before it on its connection has finished its answer: the bodies are read as they come,
 * so a request waiting its turn is never one node times out for not being received.
 * A connection that closes drops the requests waiting on it: none of them runs.
 */
export class ConnectionTurns {
  private readonly lines = new WeakMap<Socket, Line>();
  private readonly turns = new WeakMap<ServerResponse, Turn>();
  private held = 0;
  /** Every turn held at the gate now, on every connection: what the drain turns away. */
  private readonly atGate = new Set<Turn>();
  private draining = false;

  /** Follows every request of `server` (those it hands the app; upgrades are not among them). */
  constructor(
    server: Server,
    /** Told of each request refused past maxWaitingPerConnection, after its answer is handed over. */
    private readonly onRefused: (req: IncomingMessage) => void = () => undefined,
    private readonly maxWaitingPerConnection = MAX_WAITING_PER_CONNECTION,
    /** Told of each request the drain turned away, SHUTTING_DOWN, after its answer is handed over. */
    private readonly onTurnedAway: (req: IncomingMessage) => void = () => undefined,
  ) {
    // Prepended: a place taken before anything of the app's runs, in node's order.
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => this.enter(req.socket, res));
  }

  /** Requests held at the gate now, on every connection. */
  get waiting(): number {
    return this.held;
  }

  /** Express middleware: continues once every earlier request on the connection has finished its answer. */
  readonly waitForEarlier = (req: IncomingMessage & { body?: unknown }, res: ServerResponse, next: () => void): void => {
    const turn = this.turns.get(res);
    // Its connection closed before it got here (its line is gone): no one is there to answer.
    if (req.socket.destroyed) return;
    if (turn === undefined) return next();
    if (turn.over) return;
    const line = this.lines.get(req.socket);
    if (line === undefined || line.turns[0] === turn) return next();
    // The drain cuts what still runs when its grace ends: one that has not begun is told so now, unrun.
    if (this.draining) return this.turnAway(req, res);
    if (line.held >= this.maxWaitingPerConnection) {
      refuse(req, res, 429, 'QUERY_TOO_COMPLEX', WAITING_PER_CONNECTION_MESSAGE);
      return this.onRefused(req);
    }
    turn.proceed = next;
    turn.turnAway = () => this.turnAway(req, res);
    this.atGate.add(turn);
    line.held += 1;
    this.held += 1;
  };

  /** The drain has begun: every request waiting its turn is answered SHUTTING_DOWN, unrun, in its place; so is each that comes to wait. */
  beginDrain(): void {
    this.draining = true;
    for (const turn of [...this.atGate]) {
      const turnAway = turn.turnAway;
      this.letGo(turn);
      turnAway?.();
    }
  }

  private turnAway(req: IncomingMessage & { body?: unknown }, res: ServerResponse): void {
    refuse(req, res, 503, 'SHUTTING_DOWN', SHUTTING_DOWN_WAITING_MESSAGE);
    this.onTurnedAway(req);
  }

  /** A turn leaves the gate without running. */
  private letGo(turn: Turn): void {
    if (turn.proceed === null) return;
    turn.proceed = null;
    turn.turnAway = null;
    this.atGate.delete(turn);
    this.held -= 1;
    turn.line.held -= 1;
  }

  private enter(socket: Socket, res: ServerResponse): void {
    if (socket.destroyed) return;
    let line = this.lines.get(socket);
    if (line === undefined) {
      line = { turns: [], held: 0 };
      this.lines.set(socket, line);
      // One listener per connection, however many requests it pipelines.
      socket.once('close', () => this.dropLine(socket));
    }
    const turn: Turn = { over: false, proceed: null, turnAway: null, line };
    line.turns.push(turn);
    this.turns.set(res, turn);
    const leave = (): void => this.leave(socket, turn);
    res.once('finish', leave);
    // A connection closing mid-answer ends the answer with 'close' alone.
    res.once('close', leave);
  }

  private leave(socket: Socket, turn: Turn): void {
    turn.over = true;
    const line = this.lines.get(socket);
    const at = line?.turns.indexOf(turn) ?? -1;
    if (line === undefined || at < 0) return;
    line.turns.splice(at, 1);
    // Node closes the answer being written before this connection's own 'close' listener runs.
    if (socket.destroyed) return this.dropLine(socket);
    const head = line.turns[0];
    if (head?.proceed == null) return;
    const proceed = head.proceed;
    this.letGo(head);
    proceed();
  }

  /**
   * Answers still queued behind another (pipelined) emit neither 'finish' nor 'close' when their
   * connection closes: the requests waiting are let go here, unrun.
   */
  private dropLine(socket: Socket): void {
    for (const turn of this.lines.get(socket)?.turns ?? []) {
      turn.over = true;
      this.letGo(turn);
    }
    this.lines.delete(socket);
  }
}

/** A request answered unrun: its answer still goes out in its place, its body need not wait with it. */
function refuse(req: IncomingMessage & { body?: unknown }, res: ServerResponse, status: number, code: string, message: string): void {
  req.body = undefined;
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}
