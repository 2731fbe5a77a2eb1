import type { Server } from 'node:http';
import type { Socket } from 'node:net';

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
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return () => {
    httpServer.close();
    for (const socket of open) socket.destroy();
  };
}
