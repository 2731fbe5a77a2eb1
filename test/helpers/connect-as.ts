import { once } from 'node:events';
import type { Server } from 'node:http';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';

/**
 * TCP connections to a server as if from any address. The machine has one IPv6
 * loopback address (::1), so a test cannot open connections from many IPv6
 * addresses, nor name its peer with X-Forwarded-For to a per-connection cap
 * (that counts the TCP peer, before a byte is read). A relay listener of the test's
 * own accepts a real loopback connection and hands the accepted socket to `server`,
 * as node's own listener would, its peer address set to the one asked for: from
 * there on all is the server's own (its connection cap, node's HTTP parser, the gateway).
 */
export class ConnectionsAs {
  private readonly relay = createServer();
  private readonly peers: string[] = [];

  private constructor(private readonly server: Server) {
    this.relay.on('connection', (accepted: Socket) => {
      const peer = this.peers.shift();
      Object.defineProperty(accepted, 'remoteAddress', { value: peer, configurable: true });
      this.server.emit('connection', accepted);
    });
  }

  static async over(server: Server): Promise<ConnectionsAs> {
    const connections = new ConnectionsAs(server);
    connections.relay.listen(0, '127.0.0.1');
    await once(connections.relay, 'listening');
    return connections;
  }

  /** An open connection handed to the server as from `address` (one at a time: awaited before the next). */
  async from(address: string): Promise<Socket> {
    this.peers.push(address);
    const handedOver = once(this.relay, 'connection');
    const socket = connect((this.relay.address() as AddressInfo).port, '127.0.0.1');
    socket.on('error', () => {});
    await Promise.all([once(socket, 'connect'), handedOver]);
    return socket;
  }

  async close(): Promise<void> {
    this.relay.close();
    await once(this.relay, 'close');
  }
}
