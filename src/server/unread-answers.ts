import { WebSocket } from 'ws';

/**
 * Answers queued for a WebSocket client and not yet taken by the kernel,
 * past which the gateway stops reading that client's messages. graphql-ws
 * answers every message (a ping with a pong echoing its payload, a refused
 * subscribe with an error) whether or not the client reads: one client that
 * sent 120 MB of pings and read nothing made the gateway hold 350 MB, and
 * more for as long as it went on. Paused, its messages wait in its own
 * buffers instead. One large answer (a dashboard over WebSocket) passes the
 * mark too: the client's next messages are read once it has taken it.
 */
export const UNREAD_HIGH_WATER_BYTES = 1024 * 1024;
/** Read again once the client has taken all but this much. */
const UNREAD_LOW_WATER_BYTES = 256 * 1024;

/** After queueing an answer: a client this far behind is read no more until it catches up. True when this call paused it (ws says it is paused). */
export function pauseIfBehind(socket: WebSocket): boolean {
  if (socket.readyState !== WebSocket.OPEN || socket.isPaused || socket.bufferedAmount <= UNREAD_HIGH_WATER_BYTES) return false;
  socket.pause();
  return socket.isPaused;
}

/** As each answer reaches the kernel: a paused client is read again once it has caught up. True when this call resumed it. */
export function resumeIfCaughtUp(socket: WebSocket): boolean {
  if (socket.readyState !== WebSocket.OPEN || !socket.isPaused || socket.bufferedAmount > UNREAD_LOW_WATER_BYTES) return false;
  socket.resume();
  return !socket.isPaused;
}
