import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Node closes a kept-alive connection when its keep-alive timer fires (keepAliveTimeout, plus a
 * second on node 20), and the event loop runs timers before it reads sockets. After a turn that
 * held the loop past that time (a large answer scrubbed or a full collection on a starved CPU) a
 * connection whose client had sent its next request meanwhile was destroyed with the request
 * unread: the client read ECONNRESET and cannot tell whether its request ran. With a listener on
 * the server's 'timeout', node leaves the socket to it: closed after the loop has looked at the
 * sockets once (the poll phase before `setImmediate`), unless that look brought bytes. A request
 * read there clears the keep-alive timer; part of one re-arms it, and the headers timeout still
 * bounds a head that never ends.
 */
export function readBeforeClosingKeptAlive(server: Server): void {
  server.on('timeout', (socket: Socket) => {
    const readBefore = socket.bytesRead;
    setImmediate(() => {
      if (!socket.destroyed && socket.bytesRead === readBefore) socket.destroy();
    });
  });
}
