import type { Socket } from 'node:net';
import type { Response } from 'express';
import type { AnswerDelivery } from './answer-delivery.js';
import { answerCutRequest } from './drain-cut-answer.js';

export interface CutAnswers {
  /** Whether the request may have acted (a mutation, or anything not surely a query): its answer says its outcome is unknown. */
  mayHaveActed(res: Response): boolean;
  /** The drain answered a request it cut: count its error code. */
  onAnswered(): void;
  /** Whether no request came behind this one on its connection (its answer may say close); true when not given. */
  lastOnConnection?(res: Response): boolean;
}

/**
 * How long before the drain timeout shutdown cuts what is still running (WebSocket
 * operations, HTTP requests), so the rest closes before the process's own timer ends it.
 */
const CLOSE_FRAMES_MARGIN_MS = 250;
/**
 * How long before Apollo's drain cuts what is still running the gateway notes which requests
 * those are: taken at the same moment, the note raced Apollo's own timer.
 */
const CUT_NOTE_LEAD_MS = 100;

/**
 * The drain's clock and what it cut. It starts at the signal (beginDrain), as the process's own
 * drain timer does; each part of the shutdown gets what is left of it less a margin for the
 * close frames; and the GraphQL requests over HTTP still running (or their answers still being
 * written) just before Apollo's drain cuts them are noted, to be counted as cut.
 */
export class HttpDrain {
  private startedAt: number | undefined;
  /** GraphQL requests over HTTP whose connection is open: running, or their answer still being written. */
  private readonly inFlight = new Set<Response>();
  /** Each connection's requests in inFlight: one 'close' listener per connection, however many it pipelines. */
  private readonly byConnection = new WeakMap<Socket, Set<Response>>();
  /** Those still running or being written just before Apollo's drain cut them (see CUT_NOTE_LEAD_MS). */
  private runningAtGraceEnd: Response[] = [];
  private graceEndNote: NodeJS.Timeout | undefined;
  /** Those of runningAtGraceEnd the drain answered itself (drain-cut-answer.ts): delivered, and cut all the same. */
  private readonly answeredAtCut = new WeakSet<Response>();

  constructor(
    private readonly drainTimeoutMs: number,
    private readonly cutAnswers?: CutAnswers,
  ) {}

  get draining(): boolean {
    return this.startedAt !== undefined;
  }

  begin(): void {
    this.startedAt ??= Date.now();
  }

  /** What is left of the drain (counted from the signal), less the margin to close in. */
  leftMs(): number {
    return Math.max(0, this.drainTimeoutMs - (Date.now() - (this.startedAt ?? Date.now())) - CLOSE_FRAMES_MARGIN_MS);
  }

  /** Follows a request from its start until its connection closes. */
  track(res: Response): void {
    const socket: Socket | undefined = res.req?.socket;
    // Its client gone already: no 'close' will come for it.
    if (socket?.destroyed) return;
    this.inFlight.add(res);
    // 'close' follows delivery, and a client that went away; 'finish' alone would also
    // come when the drain cuts an answer half written (see answer-delivery.ts).
    res.once('close', () => {
      this.inFlight.delete(res);
      if (socket) this.byConnection.get(socket)?.delete(res);
    });
    if (socket) this.forgetWithConnection(socket, res);
  }

  private forgetWithConnection(socket: Socket, res: Response): void {
    // An answer still queued behind another (pipelined) when its connection closes emits no
    // 'close' of its own: each such request, its answer with it, was held for ever (a client
    // pipelining 800 requests on each of 4 connections and leaving left some 50 MB behind).
    const onConnection = this.byConnection.get(socket);
    if (onConnection) return void onConnection.add(res);
    this.byConnection.set(socket, new Set([res]));
    socket.once('close', () => {
      for (const each of this.byConnection.get(socket) ?? []) this.inFlight.delete(each);
      this.byConnection.delete(socket);
    });
  }

  /** GraphQL requests over HTTP followed now (see track). */
  get tracked(): number {
    return this.inFlight.size;
  }

  /** Apollo's drain grace, read as its drain starts: what is left, with the note of what it will cut set to come just before. */
  graceForApollo(): number {
    const grace = this.leftMs();
    const noteInMs = grace - CUT_NOTE_LEAD_MS;
    // A grace within the lead (a drain shorter than the close-frame margin gives 0): noted now,
    // not on a timer that races Apollo's own.
    if (noteInMs <= 0) this.cutRunning();
    else this.graceEndNote = setTimeout(() => this.cutRunning(), noteInMs);
    return grace;
  }

  /**
   * Notes what Apollo's drain is about to cut, and answers each whose answer has not begun (a
   * 503 with `Connection: close`, or without it where a request came behind it on its connection:
   * drain-cut-answer.ts): Apollo's drain then ends its connection after the answers, not in their
   * place.
   */
  private cutRunning(): void {
    this.runningAtGraceEnd = [...this.inFlight];
    if (this.cutAnswers === undefined) return;
    for (const res of this.runningAtGraceEnd) {
      if (!answerCutRequest(res, this.cutAnswers.mayHaveActed(res), this.cutAnswers.lastOnConnection?.(res) ?? true)) continue;
      this.answeredAtCut.add(res);
      this.cutAnswers.onAnswered();
    }
  }

  /**
   * For an exit that does not wait for the drain (a second signal, the drain timer): every request
   * still followed whose answer has not begun is answered now, as the drain's cut would answer it.
   * The connections of those answered: the exit gives them a moment to take their answers.
   */
  answerRunningNow(): Socket[] {
    const answered: Socket[] = [];
    if (this.cutAnswers === undefined) return answered;
    for (const res of this.inFlight) {
      if (!answerCutRequest(res, this.cutAnswers.mayHaveActed(res), this.cutAnswers.lastOnConnection?.(res) ?? true)) continue;
      this.answeredAtCut.add(res);
      this.cutAnswers.onAnswered();
      const socket: Socket | undefined = res.req?.socket;
      if (socket) answered.push(socket);
    }
    return answered;
  }

  /**
   * Once Apollo's drain is over: the requests it cut. Those delivered in the last moments were not
   * cut; an answer cut half written was, and so was one the drain answered in its place.
   */
  requestsCut(answers: AnswerDelivery): number {
    clearTimeout(this.graceEndNote);
    return this.runningAtGraceEnd.filter((res) => this.answeredAtCut.has(res) || !answers.delivered(res)).length;
  }
}
