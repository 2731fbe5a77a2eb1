import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from '../../src/observability/metrics.js';
import { redisConnectionState, type RedisConnectionState } from '../../src/state/redis-connection-state.js';

// ioredis's statuses: only `ready` runs commands (a connection `connect`ed is still handshaking or
// sending its SELECT; `reconnecting` lost; `end` closed for good; `wait` a lazy one never connected).
const NOT_UP = ['wait', 'connecting', 'connect', 'reconnecting', 'close', 'end', 'Ready', ''];

describe('redisConnectionState: a Redis connection is up only while ioredis says ready', () => {
  it('reads up for ready, naming the connection', () => {
    expect(redisConnectionState('operation_bus_subscriber', { status: 'ready' })).toEqual({ connection: 'operation_bus_subscriber', up: true });
  });

  it('reads down for every other status', () => {
    for (const status of NOT_UP) expect(redisConnectionState('store', { status })).toEqual({ connection: 'store', up: false });
  });

  it('reads the status at the moment asked: a connection lost after it was up reads down', () => {
    const redis = { status: 'ready' };
    expect(redisConnectionState('store', redis).up).toBe(true);
    redis.status = 'reconnecting';
    expect(redisConnectionState('store', redis).up).toBe(false);
  });
});

describe('backup_graph_redis_connection_up: the gauge reads the connections at each scrape', () => {
  const gauge = async (metrics: GatewayMetrics): Promise<Record<string, number>> => {
    const values = (await metrics.registry.getSingleMetric('backup_graph_redis_connection_up')!.get()).values;
    return Object.fromEntries(values.map((value) => [String(value.labels.connection), value.value]));
  };

  it('shows 1 for each connection up, 0 for each lost, as they are at the scrape', async () => {
    const metrics = new GatewayMetrics();
    const store = { status: 'ready' };
    const subscriber = { status: 'reconnecting' };
    metrics.showRedisConnections((): RedisConnectionState[] => [redisConnectionState('store', store), redisConnectionState('operation_bus_subscriber', subscriber)]);
    expect(await gauge(metrics)).toEqual({ store: 1, operation_bus_subscriber: 0 });
    store.status = 'reconnecting';
    subscriber.status = 'ready';
    expect(await gauge(metrics)).toEqual({ store: 0, operation_bus_subscriber: 1 });
    expect(await metrics.registry.metrics()).toContain('backup_graph_redis_connection_up{connection="store"} 0');
  });

  it('shows no connection without Redis', async () => {
    expect(await gauge(new GatewayMetrics())).toEqual({});
  });
});
