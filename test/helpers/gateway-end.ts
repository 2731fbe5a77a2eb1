import type { Socket } from 'node:net';
import type { Harness } from './harness.js';

/** The gateway's end of one connection, and every text it has handed to that socket. */
export interface GatewayEnd {
  socket(): Socket;
  /** ws hands a text frame's payload over as the string it was given (its header as a Buffer). */
  written: string[];
  closed: Promise<void>;
}

/** Watches the connection the gateway accepts from `port()` (a SlowLink's gatewayPort): the test reads its socket, it is not changed. */
export function watchGatewayEnd(harness: Harness, port: () => number): GatewayEnd {
  const written: string[] = [];
  let found: Socket | null = null;
  let markClosed = (): void => {};
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  harness.gateway.httpServer.on('connection', (socket: Socket) => {
    if (socket.remotePort !== port()) return;
    found = socket;
    socket.once('close', () => markClosed());
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    socket.write = ((...args: unknown[]) => {
      if (typeof args[0] === 'string') written.push(args[0]);
      return write(...args);
    }) as typeof socket.write;
  });
  return {
    socket: () => {
      if (!found) throw new Error('the gateway has no connection from that port yet');
      return found;
    },
    written,
    closed,
  };
}
