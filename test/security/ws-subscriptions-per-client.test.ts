import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeInstanceId } from '../../src/gateway/ids.js';
import { eventually, type Harness, startHarness, withClients, withLimits } from '../helpers/harness.js';
import { NamedMemoryStore } from '../helpers/named-memory-store.js';
import { pendingRestore, startedRecords } from '../helpers/pending-restore.js';
import { rawConnection, type RawConnection } from '../helpers/ws.js';

const KEY = 'watcher-key-0123456789abcdef';
const OTHER_KEY = 'other-watcher-key-0123456789';
const PER_CLIENT = 4;

interface Message {
  type: string;
  id?: string;
  payload?: unknown;
}

/** A raw connection that keeps every message it is sent. */
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

/**
 * Each subscription to an operation no one else follows is a loop polling its provider every
 * few seconds until the operation ends, and operation ids are the client's to write. Capped only
 * per connection, one viewer key held maxWsConnectionsPerClient × maxSubscriptionsPerConnection
 * (400 by default) never-ending loops.
 */
describe('limits.maxSubscriptionsPerClient: subscriptions per client key across its WebSocket connections', () => {
  let harness: Harness;
  let vm: string;
  let started = Date.now();
  const connections: Connection[] = [];
  let store = new NamedMemoryStore();
  /** A restore OnApp lists no transaction for: PENDING, polled, for minutes. Each call a new operation. */
  const pending = () => pendingRestore(startedRecords(store), vm, started++).id;
  const subscribe = (connection: Connection, id: string) =>
    connection.socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: `subscription { operationUpdated(id: "${pending()}") { status } }` } }));
  const connect = async (key: string) => {
    const made = await open(harness.gateway.graphqlUrl, key);
    connections.push(made);
    return made;
  };

  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['onapp'],
      store,
      configure: [
        withClients([
          { name: 'watcher', key: KEY, roles: ['viewer'] },
          { name: 'other', key: OTHER_KEY, roles: ['viewer'] },
        ]),
        withLimits({ maxSubscriptionsPerConnection: 3, maxWsConnectionsPerClient: 3, maxSubscriptionsPerClient: PER_CLIENT }),
      ],
    });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }', {}, { key: KEY });
    vm = decodeInstanceId(list.data!.instances.edges[0]!.node.id).nativeId;
  });
  afterAll(async () => {
    for (const connection of connections) connection.socket.terminate();
    await harness.close();
  });

  it('refuses a subscription past the cap on another connection of the same key with QUERY_TOO_COMPLEX naming the limit; another key still subscribes; places come back as subscriptions end and connections close', async () => {
    const first = await connect(KEY);
    const second = await connect(KEY);
    for (const id of ['a', 'b', 'c']) subscribe(first, id);
    subscribe(second, 'd');
    for (const [connection, id] of [[first, 'a'], [first, 'b'], [first, 'c'], [second, 'd']] as const) {
      expect(await answerTo(connection, id)).toEqual({ id, type: 'next', payload: { data: { operationUpdated: { status: 'PENDING' } } } });
    }

    // Within its connection's cap (3), past the key's (4): before, it ran, a fifth poll loop.
    subscribe(second, 'e');
    const refused = await answerTo(second, 'e');
    expect(refused.type).toBe('error');
    expect(refused.payload).toEqual([
      expect.objectContaining({ message: expect.stringContaining('Subscription limit of 4 per client exceeded (limits.maxSubscriptionsPerClient)'), extensions: { code: 'QUERY_TOO_COMPLEX' } }),
    ]);

    // Another key's subscriptions are its own.
    const other = await connect(OTHER_KEY);
    subscribe(other, 'x');
    expect((await answerTo(other, 'x')).type).toBe('next');

    // A completed subscription gives its place back.
    first.socket.send(JSON.stringify({ id: 'a', type: 'complete' }));
    let attempt = 0;
    await eventually(
      async () => {
        const id = `after-complete-${attempt++}`;
        subscribe(second, id);
        return answerTo(second, id);
      },
      (message) => message.type === 'next',
      { timeoutMs: 5_000, intervalMs: 20 },
    );

    // A closed connection gives back every place its subscriptions held (b, c).
    first.socket.close();
    await first.closed;
    const third = await connect(KEY);
    await eventually(
      async () => {
        const id = `after-close-${attempt++}`;
        subscribe(third, id);
        return answerTo(third, id);
      },
      (message) => message.type === 'next',
      { timeoutMs: 5_000, intervalMs: 20 },
    );
    const id = `after-close-${attempt++}`;
    subscribe(third, id);
    expect((await answerTo(third, id)).type).toBe('next');
    // Four held again (d, after-complete, two after the close): the fifth is refused.
    subscribe(third, 'over');
    expect((await answerTo(third, 'over')).type).toBe('error');
  });

  it('counts a caller without a key by its address, across its connections', async () => {
    store = new NamedMemoryStore();
    const anonymous = await startHarness({ kinds: ['onapp'], store, configure: withLimits({ maxSubscriptionsPerConnection: 3, maxSubscriptionsPerClient: 2 }) });
    const held: Connection[] = [];
    try {
      for (let n = 0; n < 2; n += 1) held.push(await open(anonymous.gateway.graphqlUrl, ''));
      const [one, two] = held as [Connection, Connection];
      subscribe(one, 'a');
      subscribe(two, 'b');
      expect((await answerTo(one, 'a')).type).toBe('next');
      expect((await answerTo(two, 'b')).type).toBe('next');
      subscribe(two, 'c');
      expect(await answerTo(two, 'c')).toMatchObject({
        type: 'error',
        payload: [{ message: expect.stringContaining('Subscription limit of 2 for this address exceeded'), extensions: { code: 'QUERY_TOO_COMPLEX' } }],
      });
    } finally {
      for (const connection of held) connection.socket.terminate();
      await anonymous.close();
    }
  });
});
