import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeInstanceId } from '../../src/gateway/ids.js';
import { eventually, type Harness, startHarness, withLimits } from '../helpers/harness.js';
import { NamedMemoryStore } from '../helpers/named-memory-store.js';
import { pendingRestore, startedRecords } from '../helpers/pending-restore.js';
import { messagesWhen, wsUrl } from '../helpers/ws.js';

const BODY_LIMIT = 64 * 1024;

interface Message {
  type: string;
  id?: string;
  payload?: unknown;
}

describe('WebSocket: the messages of the operations a connection runs add up to one message at most', () => {
  let harness: Harness;
  let socket: WebSocket;
  const messages: Message[] = [];
  /** An operation that never ends: a restore OnApp has no transaction for stays PENDING. */
  let pending: string;

  const answer = (id: string): Promise<Message> => messagesWhen(socket, () => messages.find((message) => message.id === id && (message.type === 'next' || message.type === 'error')));
  /** A subscription to the pending operation, padded with a comment (which costs no tokens) to `size` characters. */
  const subscribe = (id: string, size: number, extra: Record<string, unknown> = {}) => {
    const query = `subscription { operationUpdated(id: "${pending}") { status } }\n#`;
    socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: query + 'x'.repeat(Math.max(0, size - query.length)), ...extra } }));
  };

  beforeAll(async () => {
    const store = new NamedMemoryStore();
    harness = await startHarness({ kinds: ['onapp'], store, configure: withLimits({ bodyLimitBytes: BODY_LIMIT }) });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    const vm = decodeInstanceId(list.data!.instances.edges[0]!.node.id).nativeId;
    // A restore OnApp lists no transaction for, recorded as restoreBackup records its own: PENDING for minutes.
    pending = pendingRestore(startedRecords(store), vm, Date.now()).id;
    socket = new WebSocket(wsUrl(harness.gateway.graphqlUrl), 'graphql-transport-ws');
    socket.on('error', () => {});
    socket.on('message', (data) => messages.push(JSON.parse(String(data)) as Message));
    await new Promise<void>((resolve) => socket.once('open', () => resolve()));
    socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    await messagesWhen(socket, () => messages.some((message) => message.type === 'connection_ack'));
  });
  afterAll(async () => {
    socket.terminate();
    await harness.close();
  });

  it('a second subscription padded to 40 KB is refused while the first holds 40 KB (limit 64 KB); small ones still run', async () => {
    subscribe('first', 40_000);
    expect(await answer('first')).toEqual({ id: 'first', type: 'next', payload: { data: { operationUpdated: { status: 'PENDING' } } } });
    // Before, each held its message for as long as it lasted: one client's 400 subscriptions of 0.9 MB held ~700 MB.
    subscribe('second', 40_000);
    const refused = await answer('second');
    expect(refused.type).toBe('error');
    expect(refused.payload).toEqual([expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX' } })]);
    subscribe('small', 0);
    expect((await answer('small')).type).toBe('next');
  });

  it('counts the whole message (what is sent beside the query is kept too), and gives the room back when an operation ends', async () => {
    subscribe('padded-beside', 0, { padding: 'y'.repeat(40_000) });
    expect((await answer('padded-beside')).type).toBe('error');
    socket.send(JSON.stringify({ id: 'first', type: 'complete' }));
    // Once the gateway has read the complete, the room is back: asked again until it is.
    let attempt = 0;
    const third = await eventually(
      async () => {
        const id = `third${attempt++}`;
        subscribe(id, 40_000);
        return answer(id);
      },
      (message) => message.type === 'next',
      { timeoutMs: 5_000, intervalMs: 20 },
    );
    expect(third.type).toBe('next');
  });
});
