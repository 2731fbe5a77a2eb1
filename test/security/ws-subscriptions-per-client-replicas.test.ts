import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeId } from '../../src/domain/ids.js';
import { decodeInstanceId } from '../../src/gateway/ids.js';
import { createLogger } from '../../src/observability/logger.js';
import { startGatewayServer, type RunningGateway } from '../../src/server/app.js';
import { RedisStore } from '../../src/state/redis-store.js';
import { eventually, type Harness, startHarness, withClients, withLimits } from '../helpers/harness.js';
import { pendingRestore, startedRecords } from '../helpers/pending-restore.js';
import { redisSuite, testRedis } from '../helpers/redis.js';
import { rawConnection, type RawConnection } from '../helpers/ws.js';

/**
 * `limits.maxSubscriptionsPerClient` was counted in each gateway process: a key at its cap on one
 * replica opened as many again on each other one. With Redis every replica's open subscriptions
 * count together, a replica's only while its lease is renewed: one that dies without a word stops
 * counting once its lease expires. A replica whose Redis fails counts alone.
 */
const redis = await testRedis();
afterAll(() => redis.stop());

const KEY = 'replica-watcher-key-0123456789abcdef';
const CUT_OFF_KEY = 'cut-off-watcher-key-0123456789abcdef';
const PER_CLIENT = 2;
/** The dying replica's lease: long enough to outlast the refusal checked right after its death on a loaded machine. */
const LEASE_MS = 3_000;
const REFUSAL = `Subscription limit of ${PER_CLIENT} per client exceeded (limits.maxSubscriptionsPerClient)`;

interface Message {
  type: string;
  id?: string;
  payload?: unknown;
}

interface Connection extends RawConnection {
  messages: Message[];
}

const open = async (graphqlUrl: string, key: string): Promise<Connection> => {
  const made = rawConnection(graphqlUrl, key);
  const messages: Message[] = [];
  made.socket.on('message', (data) => messages.push(JSON.parse(String(data)) as Message));
  expect(await made.acknowledged).toBe(true);
  return { ...made, messages };
};

/** The first `next` or `error` for `id` on `connection`. */
const answerTo = (connection: Connection, id: string): Promise<Message> =>
  eventually(
    async () => connection.messages.find((message) => message.id === id && (message.type === 'next' || message.type === 'error')),
    (found) => found !== undefined,
    { timeoutMs: 5_000, intervalMs: 10 },
  ).then((found) => found!);

const refusedAtTheCap = (message: Message) =>
  expect(message).toMatchObject({ type: 'error', payload: [{ message: expect.stringContaining(REFUSAL), extensions: { code: 'QUERY_TOO_COMPLEX' } }] });

describe.skipIf(!redis.url)(redisSuite('limits.maxSubscriptionsPerClient across two replicas over one Redis', redis), () => {
  const prefix = `backup-graph-test:${randomUUID()}:`;
  const stores = redis.url ? [new RedisStore(redis.url, prefix), new RedisStore(redis.url, prefix), new RedisStore(redis.url, prefix)] : [];
  let harness: Harness;
  /** The replica that dies: its Redis connection cut, then stopped (nothing it does after reaches Redis). */
  let first: RunningGateway;
  /** A third replica whose Redis connection is closed once it has started. */
  let cutOff: RunningGateway;
  let vm: string;
  let started = Date.now();
  let ids = 0;
  const connections: Connection[] = [];
  /** Where the test records its restores as started, as restoreBackup would: the replicas' Redis. */
  const recordStore = redis.url ? new RedisStore(redis.url, prefix) : undefined;
  /** A restore OnApp lists no transaction for: PENDING, polled, for minutes. Each call a new operation. */
  const subscribe = async (connection: Connection, operation?: string): Promise<Message> => {
    const id = `s${ids++}`;
    if (operation === undefined) {
      const restore = pendingRestore(startedRecords(recordStore!), vm, started++);
      await restore.recorded;
      operation = restore.id;
    }
    connection.socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: `subscription { operationUpdated(id: "${operation}") { status } }` } }));
    return answerTo(connection, id);
  };
  /**
   * Where the replica's Redis is gone, a restore's record cannot be read (STORE_UNAVAILABLE): a
   * create whose place in its disk's series cannot be read is PENDING there instead, polled, each
   * call a new operation.
   */
  const unplacedCreate = () => encodeId('Operation', 'onapp-test', ['CREATE_BACKUP', String(started++), vm, '', '1', '999999999']);
  const connect = async (gateway: RunningGateway, key = KEY) => {
    const made = await open(gateway.graphqlUrl, key);
    connections.push(made);
    return made;
  };

  beforeAll(async () => {
    await Promise.all([...stores, recordStore!].map((store) => store.ready()));
    harness = await startHarness({
      kinds: ['onapp'],
      store: stores[0]!,
      configure: [
        withClients([
          { name: 'watcher', key: KEY, roles: ['viewer'] },
          { name: 'cut-off-watcher', key: CUT_OFF_KEY, roles: ['viewer'] },
        ]),
        withLimits({ maxSubscriptionsPerConnection: 5, maxSubscriptionsPerClient: PER_CLIENT }),
      ],
    });
    first = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: stores[1]!, subscriptionLeaseMs: LEASE_MS });
    cutOff = await startGatewayServer(harness.config, { logger: createLogger('silent'), store: stores[2]! });
    (stores[2]!.sharedConnection().client as { disconnect(): void }).disconnect();
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }', {}, { key: KEY });
    vm = decodeInstanceId(list.data!.instances.edges[0]!.node.id).nativeId;
  });
  afterAll(async () => {
    for (const connection of connections) connection.socket.terminate();
    await cutOff?.close();
    await first?.close();
    await harness?.close();
    await recordStore?.close();
  });

  it("a key at its cap on one replica is refused on the other, as one replica refuses it; a place given back on one is taken on the other; a dead replica's places come back when its lease expires", async () => {
    const second = harness.gateway;
    const onFirst = await connect(first);
    expect(await subscribe(onFirst)).toMatchObject({ type: 'next', payload: { data: { operationUpdated: { status: 'PENDING' } } } });
    expect(await subscribe(onFirst)).toMatchObject({ type: 'next' });
    // One replica's refusal, the same as before.
    refusedAtTheCap(await subscribe(onFirst));

    // Counted per replica, the second had two more to give.
    const onSecond = await connect(second);
    refusedAtTheCap(await subscribe(onSecond));

    // A subscription completed on the first gives its place to the second.
    onFirst.socket.send(JSON.stringify({ id: 's0', type: 'complete' }));
    await eventually(() => subscribe(onSecond), (message) => message.type === 'next', { timeoutMs: 5_000, intervalMs: 20 });
    // One on each: full on both.
    refusedAtTheCap(await subscribe(onFirst));
    refusedAtTheCap(await subscribe(onSecond));

    // A connection closed on the first gives its places to the second.
    onFirst.socket.close();
    await onFirst.closed;
    const taken = await eventually(() => subscribe(onSecond), (message) => message.type === 'next', { timeoutMs: 5_000, intervalMs: 20 });
    refusedAtTheCap(await subscribe(onSecond));
    // And back: one completed on the second, taken on the first.
    onSecond.socket.send(JSON.stringify({ id: taken.id, type: 'complete' }));
    const onFirstAgain = await connect(first);
    await eventually(() => subscribe(onFirstAgain), (message) => message.type === 'next', { timeoutMs: 5_000, intervalMs: 20 });
    refusedAtTheCap(await subscribe(onSecond));

    // The first dies holding one: nothing of it reaches Redis any more, no release, no lease renewed.
    // Waited out, so the close below finds the connection down (not one QUIT fails on under load).
    const redisOfFirst = stores[1]!.sharedConnection().client as { disconnect(): void; once(event: 'end', listener: () => void): void };
    const ended = new Promise<void>((resolve) => redisOfFirst.once('end', resolve));
    redisOfFirst.disconnect();
    await ended;
    await first.close();
    // Its place is still held until its lease expires...
    refusedAtTheCap(await subscribe(onSecond));
    // ...and then taken on the second.
    await eventually(() => subscribe(onSecond), (message) => message.type === 'next', { timeoutMs: LEASE_MS * 4, intervalMs: 50 });
    refusedAtTheCap(await subscribe(onSecond));
  }, 30_000);

  it('a replica whose Redis fails counts alone, to the cap, and counts each failure in backup_graph_store_failures_total', async () => {
    const connection = await connect(cutOff, CUT_OFF_KEY);
    expect(await subscribe(connection, unplacedCreate())).toMatchObject({ type: 'next' });
    expect(await subscribe(connection, unplacedCreate())).toMatchObject({ type: 'next' });
    refusedAtTheCap(await subscribe(connection, unplacedCreate()));
    const metrics = await (await fetch(`${cutOff.adminUrl}/metrics`)).text();
    expect(Number(/^backup_graph_store_failures_total\{store="subscriptions",failure="error"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(PER_CLIENT);
  });
});
