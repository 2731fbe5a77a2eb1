/**
 * Whether each of the process's Redis connections is up now, for the gauge
 * backup_graph_redis_connection_up and the admin listener's /readyz. Read off
 * ioredis's own status at the moment asked, so nothing is kept that can drift
 * from it; `ready` is the only status in which the connection runs commands.
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

export const redisConnectionState = (connection: RedisConnectionRole, redis: StatusedConnection): RedisConnectionState => ({ connection, up: redis.status === 'ready' });
