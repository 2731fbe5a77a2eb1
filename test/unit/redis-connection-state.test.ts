import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from '../../src/observability/metrics.js';
import { RedisConnectionLiveness, redisConnectionState, type RedisConnectionState } from '../../src/state/redis-connection-state.js';

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

/** A connection whose PINGs the test answers, one by one, in order sent. */
function pingedConnection(status = 'ready') {
  const pings: Array<{ answer: () => void; fail: () => void }> = [];
  const redis = {
    status,
    ping: () => new Promise<unknown>((resolve, reject) => pings.push({ answer: () => resolve('PONG'), fail: () => reject(new Error('Command timed out')) })),
  };
  return { redis, pings };
}
const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('RedisConnectionLiveness: up only while ready and Redis answers its PING', () => {
  it('sends one PING per read while none is on its way, and reads up while one waits less than the timeout', async () => {
    const { redis, pings } = pingedConnection();
    let now = 1_000;
    const liveness = new RedisConnectionLiveness('operation_bus_subscriber', redis, 5_000, () => now);
    expect(liveness.state()).toEqual({ connection: 'operation_bus_subscriber', up: true });
    expect(pings).toHaveLength(1);
    now += 4_999;
    expect(liveness.state().up).toBe(true);
    expect(pings).toHaveLength(1);
    pings[0]!.answer();
    await settled();
    expect(liveness.state().up).toBe(true);
    expect(pings).toHaveLength(2);
  });

  it('reads down once a PING has waited the timeout, with no other PING sent meanwhile', () => {
    const { redis, pings } = pingedConnection();
    let now = 0;
    const liveness = new RedisConnectionLiveness('store', redis, 5_000, () => now);
    liveness.state();
    now = 5_000;
    expect(liveness.state()).toEqual({ connection: 'store', up: false });
    expect(pings).toHaveLength(1);
  });

  it('reads down after a PING failed, until one is answered', async () => {
    const { redis, pings } = pingedConnection();
    const liveness = new RedisConnectionLiveness('operation_bus', redis, 5_000, () => 0);
    liveness.state();
    pings[0]!.fail();
    await settled();
    expect(liveness.state().up).toBe(false);
    expect(pings).toHaveLength(2);
    expect(liveness.state().up).toBe(false);
    pings[1]!.answer();
    await settled();
    expect(liveness.state().up).toBe(true);
  });

  it('reads down with no PING while not ready, and forgets what an older PING came to once it is ready again', async () => {
    const { redis, pings } = pingedConnection('reconnecting');
    const liveness = new RedisConnectionLiveness('store', redis, 5_000, () => 0);
    expect(liveness.state().up).toBe(false);
    expect(pings).toHaveLength(0);
    redis.status = 'ready';
    liveness.state();
    redis.status = 'reconnecting';
    expect(liveness.state().up).toBe(false);
    pings[0]!.fail();
    await settled();
    redis.status = 'ready';
    expect(liveness.state().up).toBe(true);
    expect(pings).toHaveLength(2);
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
