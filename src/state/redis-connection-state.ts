import { REDIS_COMMAND_TIMEOUT_MS } from './redis-timeouts.js';

/**
 * Whether each of the process's Redis connections is up now, for the gauge
 * backup_graph_redis_connection_up and the admin listener's /readyz. Read off
 * ioredis's own status at the moment asked (`ready` is the only status in which
 * the connection runs commands), and, while it is `ready`, whether Redis answered
 * the last PING (RedisConnectionLiveness: the one thing kept, forgotten whenever
 * the status leaves `ready`).
 * A subscriber reads `ready` a round trip before it hears its channels again:
 * ioredis sets the status, then sends the SUBSCRIBE of its reconnect
 * (autoResubscribe), so 1 is not proof the replica hears the others yet.
 */

/** Which connection: the store's, or one of the operation bus's two (commands, and its pub/sub subscriber). */
export type RedisConnectionRole = 'store' | 'operation_bus' | 'operation_bus_subscriber';

export interface RedisConnectionState {
  connection: RedisConnectionRole;
  up: boolean;
}

/** What is read of an ioredis connection. */
export interface StatusedConnection {
  readonly status: string;
}

/** What is read of an ioredis connection, and asked of it (PING is valid in subscriber mode too). */
export interface PingableConnection extends StatusedConnection {
  ping(): Promise<unknown>;
}

export const redisConnectionState = (connection: RedisConnectionRole, redis: StatusedConnection): RedisConnectionState => ({ connection, up: redis.status === 'ready' });

/**
 * A connection's state as redisConnectionState reads it, and down also while Redis does not answer
 * it. A Redis paused or overloaded, or a network dropping packets, keeps the TCP connection: ioredis
 * reads `ready` for as long as TCP lets it (hours), and the bus subscriber sends no command that
 * would time out, so it read up while it heard nothing. Each read while `ready` sends one PING if
 * none is on its way (the scrapes pace them: no timer): down while the last PING answered failed, or
 * one has waited past the command timeout. A connection seen not `ready` is a new one next time: what
 * an older PING came to says nothing of it.
 */
export class RedisConnectionLiveness {
  /** The PING on its way, and when it was sent; null when none is. */
  private probe: { readonly sentAt: number } | null = null;
  private lastAnswered = true;

  constructor(
    readonly connection: RedisConnectionRole,
    private readonly redis: PingableConnection,
    private readonly timeoutMs: number = REDIS_COMMAND_TIMEOUT_MS,
    private readonly now: () => number = Date.now,
  ) {}

  state(): RedisConnectionState {
    const byStatus = redisConnectionState(this.connection, this.redis);
    if (!byStatus.up) {
      this.probe = null;
      this.lastAnswered = true;
      return byStatus;
    }
    const probe = this.probe ?? this.ping();
    return { connection: this.connection, up: this.lastAnswered && this.now() - probe.sentAt < this.timeoutMs };
  }

  private ping(): { readonly sentAt: number } {
    const probe = { sentAt: this.now() };
    this.probe = probe;
    const settle = (answered: boolean): void => {
      if (this.probe !== probe) return;
      this.probe = null;
      this.lastAnswered = answered;
    };
    this.redis.ping().then(
      () => settle(true),
      () => settle(false),
    );
    return probe;
  }
}
