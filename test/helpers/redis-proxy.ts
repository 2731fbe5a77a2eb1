import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a real Redis that a test can make misbehave
 * without disturbing the server other tests share: `stall()` keeps every
 * connection open but carries no byte further (a Redis that stopped
 * answering, or a network that drops packets), `flow()` carries them again;
 * `cut()` closes every connection and refuses new ones (Redis restarting, a
 * partition), `mend()` lets them through again. `dropReplyTo(pattern)`
 * carries the next bytes a client sends that match `pattern` on to Redis,
 * which runs them, and closes that connection instead of carrying the reply
 * back (a connection lost between a command and its answer).
 * `delayReplyTo(pattern, ms)` holds the replies on the connection that next
 * sends a matching command for `ms`, from that command on, then carries
 * them in order (a Redis slow for a moment: a latency spike); a connection
 * Redis closes meanwhile (after answering QUIT) closes once they are carried,
 * as TCP delivers what was sent before the close.
 * `delayCommand(pattern, ms)` holds the next command matching `pattern`, and
 * all its connection sends after it, for `ms` before carrying them on to
 * Redis in order, so Redis runs it late (a write slow to land: a client on
 * another connection reads the store without it meanwhile). `sent(pattern)`
 * tells when a matching command goes on to Redis.
 */
export interface RedisProxy {
  /** redis://127.0.0.1:<port>[/db] for the gateway. */
  url: string;
  stall(): void;
  flow(): void;
  cut(): void;
  mend(): void;
  /** Resolves once a matching command has run in Redis and its connection was closed before the reply. */
  dropReplyTo(pattern: RegExp): Promise<void>;
  /** Resolves once the held replies have been carried on. */
  delayReplyTo(pattern: RegExp, ms: number): Promise<void>;
  /** Resolves once the held command (and what followed it on its connection) has been carried on to Redis. */
  delayCommand(pattern: RegExp, ms: number): Promise<void>;
  /** Resolves as the next command matching `pattern` is carried on to Redis (the client now waits for its reply). */
  sent(pattern: RegExp): Promise<void>;
  close(): Promise<void>;
}

export async function startRedisProxy(target: string): Promise<RedisProxy> {
  const { hostname, port, pathname } = new URL(target);
  const pairs = new Set<[Socket, Socket]>();
  let stalled = false;
  let cut = false;
  let replyToDrop: { pattern: RegExp; dropped: () => void } | null = null;
  let replyToDelay: { pattern: RegExp; ms: number; carried: () => void } | null = null;
  let commandToDelay: { pattern: RegExp; ms: number; carried: () => void } | null = null;
  let commandToTell: { pattern: RegExp; sent: () => void } | null = null;
  const server: Server = createServer((client) => {
    if (cut) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(port || 6379), hostname);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    if (stalled) for (const socket of pair) socket.pause();
    let dropping: (() => void) | null = null;
    let held: Buffer[] | null = null;
    /** Commands held on their way to Redis (delayCommand), carried on in order. */
    let heldCommands: Buffer[] | null = null;
    /** A reply was dropped: what Redis still sends is read and thrown away until it closes. */
    let draining = false;
    /**
     * Redis closed the connection while its replies were held: the client's side is ended once they
     * are carried. Destroyed at once, it lost them, and a QUIT Redis had answered read as unanswered.
     */
    let endWhenCarried = false;
    client.on('data', (chunk: Buffer) => {
      if (replyToDrop && replyToDrop.pattern.test(chunk.toString('latin1'))) {
        dropping = replyToDrop.dropped;
        replyToDrop = null;
      }
      if (replyToDelay && replyToDelay.pattern.test(chunk.toString('latin1'))) {
        const { ms, carried } = replyToDelay;
        replyToDelay = null;
        const holding: Buffer[] = [];
        held = holding;
        setTimeout(() => {
          held = null;
          for (const reply of holding) client.write(reply);
          if (endWhenCarried) client.end();
          carried();
        }, ms);
      }
      if (commandToDelay && commandToDelay.pattern.test(chunk.toString('latin1'))) {
        const { ms, carried } = commandToDelay;
        commandToDelay = null;
        const holding: Buffer[] = [];
        heldCommands = holding;
        setTimeout(() => {
          heldCommands = null;
          for (const command of holding) upstream.write(command);
          carried();
        }, ms);
      }
      if (heldCommands) heldCommands.push(chunk);
      else upstream.write(chunk);
      if (commandToTell && commandToTell.pattern.test(chunk.toString('latin1'))) {
        const { sent } = commandToTell;
        commandToTell = null;
        sent();
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      if (draining) return;
      if (held) {
        held.push(chunk);
        return;
      }
      if (!dropping) {
        client.write(chunk);
        return;
      }
      // Redis has run the command and answered: the answer is lost with the connection. The side
      // to Redis is ended, not destroyed: closed with unread replies, it sent Redis a reset, which
      // could reach it before a command written just before (then never run: the client's re-sent
      // command was the first, and a test waiting on what the lost reply leads to hung).
      draining = true;
      client.destroy();
      upstream.end();
      upstream.resume();
      dropping();
    });
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      if (!draining) upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', (hadError: boolean) => {
      if (held && !hadError && !client.destroyed) endWhenCarried = true;
      else end();
    });
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
    dropReplyTo: (pattern) => new Promise<void>((resolve) => (replyToDrop = { pattern, dropped: resolve })),
    delayReplyTo: (pattern, ms) => new Promise<void>((resolve) => (replyToDelay = { pattern, ms, carried: resolve })),
    delayCommand: (pattern, ms) => new Promise<void>((resolve) => (commandToDelay = { pattern, ms, carried: resolve })),
    sent: (pattern) => new Promise<void>((resolve) => (commandToTell = { pattern, sent: resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        for (const pair of pairs) for (const socket of pair) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
