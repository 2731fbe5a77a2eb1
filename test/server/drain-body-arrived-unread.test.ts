import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisStore } from '../../src/state/redis-store.js';
import { SHUTTING_DOWN_UNREAD_BODY_MESSAGE } from '../../src/server/unread-bodies-at-drain.js';
import { startHarness, withLimits } from '../helpers/harness.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { startRedisProxy } from '../helpers/redis-proxy.js';

/**
 * When the drain begins, a request whose body has not all arrived is answered 503 SHUTTING_DOWN
 * unrun (unread-bodies-at-drain.ts). A request whose body has all arrived, not yet read because it
 * waits on the replicas' rate count (Redis, up to 250 ms), is work in flight: it runs and is
 * answered. Refused, its client was told its body had not arrived, and to send it again.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

/** The rate count's script names its keys `<prefix>limits:rate:...`. */
const RATE_COUNT = /limits:rate:/;

describe.skipIf(!redis.url)(redisSuite('the drain and a request whose body has arrived, waiting on the shared rate count', redis), () => {
  it('runs it and answers it', async () => {
    const proxy = await startRedisProxy(redis.url as string);
    const store = new RedisStore(proxy.url, `backup-graph-test:${randomUUID()}:`);
    await store.ready();
    const harness = await startHarness({ kinds: ['zomro'], store, configure: [withLimits({ rateLimit: { requestsPerSecond: 100, burst: 100 } })] });
    let text = '';
    let closed: Error | undefined;
    try {
      // Held within the count's own wait (250 ms): the drain begins while the request waits for it.
      const held = proxy.delayReplyTo(RATE_COUNT, 150);
      const counting = proxy.sent(RATE_COUNT);
      const body = JSON.stringify({ query: '{ __typename }' });
      const socket = connect(Number(new URL(harness.gateway.url).port), '127.0.0.1');
      socket.on('error', () => {});
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      // Head and body in one write: the body has all arrived by the time the count is sent.
      socket.write(`POST /graphql HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      await counting;
      // What the client was told is the finding; a close that failed after it is told second.
      const closing = harness.gateway.close().then(
        () => undefined,
        (error: unknown) => error as Error,
      );
      await socketClosed;
      await held;
      closed = await closing;
    } finally {
      await harness.close().catch(() => undefined);
      await proxy.close();
    }
    expect(text).not.toContain(SHUTTING_DOWN_UNREAD_BODY_MESSAGE);
    expect(text.startsWith('HTTP/1.1 200')).toBe(true);
    expect(text).toContain('"__typename":"Query"');
    expect(closed).toBeUndefined();
  }, 20_000);
});
