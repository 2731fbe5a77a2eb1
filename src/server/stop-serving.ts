import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { MAX_WAITING_PER_CONNECTION } from './connection-turns.js';

/** The gateway's own per-connection `close` listeners, with room for a few more. */
const CLOSE_WATCHERS = 16;

/**
 * How long an exit that does not wait for the drain gives the connections it has just answered
 * (503 SHUTTING_DOWN, written at once; a WebSocket's 1001 close frame) to take their answers before it destroys them: a few
 * hundred bytes each, handed to the kernel within a turn or two; the bound only keeps a client
 * that reads nothing from holding the exit.
 */
export const ANSWERS_AT_STOP_WAIT_MS = 250;

/**
 * Stops serving on the spot, once the listener has closed: every connection, WebSocket ones included
 * (an upgraded socket is the connection's own), is destroyed, but for those `answered` names (their
 * 503 SHUTTING_DOWN, or a WebSocket's 1001, just written), which are destroyed once they close or after `waitMs`. For an
 * exit that does not wait for the drain (a second signal, the drain timer): it still gives the log
 * lines queued for stdout up to 1 s to leave, and through that second a listener open in the readyz
 * grace, and every open connection, kept running requests (mutations too) after the cut ones'
 * audit lines were written.
 */
export function stopServingAtOnce(httpServer: Server): (answered: ReadonlySet<Socket>, waitMs: number) => Promise<void> {
  const open = new Set<Socket>();
  httpServer.on('connection', (socket: Socket) => {
    // Ten of the gateway's layers each watch a connection's close once (connection caps, turns,
    // the unsent-answer ledger, this one...), and node's on-finished adds one for each request
    // in flight on it (up to MAX_WAITING_PER_CONNECTION pipelined): past node's default of 10,
    // every chunked body refused at the limit printed "Possible EventEmitter memory leak" to
    // stderr for a count that is bounded by design.
    socket.setMaxListeners(Math.max(socket.getMaxListeners(), CLOSE_WATCHERS + MAX_WAITING_PER_CONNECTION));
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return async (answered, waitMs) => {
    for (const socket of open) if (!answered.has(socket)) socket.destroy();
    const left = [...answered].filter((socket) => !socket.destroyed);
    if (left.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(left.map((socket) => new Promise((resolve) => socket.once('close', resolve)))), new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
      clearTimeout(timer);
    }
    for (const socket of open) socket.destroy();
  };
}
