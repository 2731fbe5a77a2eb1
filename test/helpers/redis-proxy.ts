import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a real Redis that a test can make misbehave
 * without disturbing the server other tests share: `stall()` keeps every
 * connection open but carries no byte further (a Redis that stopped
 * answering, or a network that drops packets), `flow()` carries them again;
 * `cut()` closes every connection and refuses new ones (Redis restarting, a
 * partition), `mend()` lets them through again.
 */
export interface RedisProxy {
  /** redis://127.0.0.1:<port>[/db] for the gateway. */
  url: string;
  stall(): void;
  flow(): void;
  cut(): void;
  mend(): void;
  close(): Promise<void>;
}

export async function startRedisProxy(target: string): Promise<RedisProxy> {
  const { hostname, port, pathname } = new URL(target);
  const pairs = new Set<[Socket, Socket]>();
  let stalled = false;
  let cut = false;
  const server: Server = createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(port || 6379), hostname);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    if (stalled) for (const socket of pair) socket.pause();
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const proxyPort = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `redis://127.0.0.1:${proxyPort}${pathname}`,
    stall() {
      stalled = true;
      for (const pair of pairs) for (const socket of pair) socket.pause();
    },
    flow() {
      stalled = false;
      for (const pair of pairs) for (const socket of pair) socket.resume();
    },
    cut() {
      cut = true;
      for (const pair of pairs) for (const socket of pair) socket.destroy();
    },
    mend() {
      cut = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const pair of pairs) for (const socket of pair) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
