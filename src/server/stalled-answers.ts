import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** How long an HTTP client may take none of its answer before its connection is dropped: a WebSocket's keep-alive period. */
export const ANSWER_STALL_MS = 12_000;

export interface StalledAnswerRules {
  stallMs: number;
  /** Called as the connection of `req` is dropped, with the bytes of its answer it never took. */
  onDropped(req: IncomingMessage, unsentBytes: number): void;
}

/**
 * An answer is handed to its socket whole and waits in the process until the client takes it:
 * a client that asked for a large answer and read nothing held it for as long as it kept the
 * connection open (an address may open 256). Once an answer is all written, the bytes the kernel
 * has not yet taken are looked at every `stallMs`; a connection that took none of them in a whole
 * period is destroyed. A client reading at any pace keeps its connection; a period the
 * gateway could not run through (a late look) judges nothing.
 */
export function dropStalledAnswers(server: Server, rules: StalledAnswerRules): void {
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    // 'prefinish': the answer's last byte is handed to the socket, which may still hold most of them.
    res.once('prefinish', () => {
      const socket = res.socket;
      if (socket && !socket.destroyed) watch(req, res, socket, rules);
    });
  });
}

function watch(req: IncomingMessage, res: ServerResponse, socket: Socket, rules: StalledAnswerRules): void {
  // Nothing waits when the kernel took it all. Corked until the next tick, the socket may not
  // have handed libuv the answer yet: then the first look below counts whatever libuv holds as progress.
  if (socket.writableLength === 0) return;
  let unsent = Number.POSITIVE_INFINITY;
  let lookedAt = performance.now();
  const timer = setInterval(() => {
    const now = unsentBytes(socket);
    const at = performance.now();
    const verdict = judgeLook({ unsent: now, unsentBefore: unsent, sinceLastLookMs: at - lookedAt, stallMs: rules.stallMs });
    unsent = now;
    lookedAt = at;
    if (verdict === 'delivered') return stop();
    if (verdict === 'keep') return;
    stop();
    rules.onDropped(req, now);
    socket.destroy();
  }, rules.stallMs);
  timer.unref();
  const stop = () => clearInterval(timer);
  res.once('finish', stop);
  socket.once('close', stop);
}

/** A look this many periods after the last one came late: the process could not run meanwhile. */
const LATE_LOOK_PERIODS = 1.5;

export interface Look {
  /** Bytes libuv holds now, and held at the last look (Infinity before the first). */
  unsent: number;
  unsentBefore: number;
  sinceLastLookMs: number;
  stallMs: number;
}

/**
 * What one look decides. A look that comes late judges nothing: the event loop was blocked or the
 * process starved of CPU, so the gateway could not write either, and a client may have read all
 * the kernel held without the gateway seeing it. Under a load average of 12 on two cores, looks
 * 500 ms apart came 2.9 s and 4.8 s apart, and a client that had read 1.3 MB meanwhile was dropped.
 */
export function judgeLook(look: Look): 'delivered' | 'keep' | 'drop' {
  if (look.unsent === 0) return 'delivered';
  if (look.unsent < look.unsentBefore) return 'keep';
  if (look.sinceLastLookMs > look.stallMs * LATE_LOOK_PERIODS) return 'keep';
  return 'drop';
}

/**
 * What the socket holds that the kernel has not taken: libuv's write queue. Node's own counters
 * (`writableLength`, `bytesWritten`) keep a queued write's whole size until its last byte is out,
 * so they cannot tell a client reading slowly from one reading nothing. 0 once libuv holds
 * nothing: the kernel has the rest, and the write ends at once.
 */
function unsentBytes(socket: Socket): number {
  const queued = (socket as unknown as { _handle?: { writeQueueSize?: unknown } | null })._handle?.writeQueueSize;
  return typeof queued === 'number' ? queued : 0;
}
