import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { MAX_WAITING_PER_CONNECTION } from './connection-turns.js';

/** The gateway's own per-connection `close` listeners, with room for a few more. */
const CLOSE_WATCHERS = 16;

/**
 * Stops serving on the spot: the listener closes and every connection, WebSocket ones included
 * (an upgraded socket is the connection's own), is destroyed. For an exit that does not wait for
 * the drain (a second signal, the drain timer): it still gives the log lines queued for stdout up
 * to 1 s to leave, and through that second a listener open in the readyz grace, and every open
 * connection, kept running requests (mutations too) after the cut ones' audit lines were written.
 */
export function stopServingAtOnce(httpServer: Server): () => void {
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
  return () => {
    httpServer.close();
    for (const socket of open) socket.destroy();
  };
}
