import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeInstanceId } from '../../src/gateway/ids.js';
import { eventually, type Harness, startHarness, withLimits } from '../helpers/harness.js';
import { NamedMemoryStore } from '../helpers/named-memory-store.js';
import { pendingRestore, startedRecords } from '../helpers/pending-restore.js';
import { messagesWhen, wsUrl } from '../helpers/ws.js';

const BODY_LIMIT = 64 * 1024;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Message {
  type: string;
  id?: string;
  payload?: unknown;
}

/**
 * A connection's running operations hold one message's worth of text at most (HeldText): 400
 * subscriptions padded to 0.9 MB held ~700 MB of heap. A persisted query's hash alone is a
 * message of a hundred characters that runs a text of up to the body limit: counted by its
 * message alone, a client registered one padded subscription and ran it by hash as many times
 * as the operation caps let it, each holding the whole text (sent again between them, a new
 * copy each).
 */
describe('WebSocket: a hash alone holds the text it runs, as a text sent does', () => {
  let harness: Harness;
  let socket: WebSocket;
  const messages: Message[] = [];
  let padded: string;

  const answer = (id: string): Promise<Message> => messagesWhen(socket, () => messages.find((message) => message.id === id && (message.type === 'next' || message.type === 'error')));
  const send = (id: string, payload: Record<string, unknown>) => socket.send(JSON.stringify({ id, type: 'subscribe', payload }));
  const hashAlone = () => ({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(padded) } } });

  beforeAll(async () => {
    const store = new NamedMemoryStore();
    harness = await startHarness({ kinds: ['onapp'], store, configure: withLimits({ bodyLimitBytes: BODY_LIMIT }) });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    const vm = decodeInstanceId(list.data!.instances.edges[0]!.node.id).nativeId;
    // A restore OnApp lists no transaction for: PENDING for minutes, so its subscriptions run on.
    const pending = pendingRestore(startedRecords(store), vm, Date.now()).id;
    const query = `subscription { operationUpdated(id: "${pending}") { status } }\n#`;
    padded = query + 'x'.repeat(40_000 - query.length);
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

  it('refuses a hash alone of a 40 KB text while the text sent with its hash holds 40 KB (limit 64 KB)', async () => {
    send('registered', { query: padded, ...hashAlone() });
    expect(await answer('registered')).toEqual({ id: 'registered', type: 'next', payload: { data: { operationUpdated: { status: 'PENDING' } } } });
    send('by-hash', hashAlone());
    const refused = await answer('by-hash');
    expect(refused.type).toBe('error');
    expect(refused.payload).toEqual([expect.objectContaining({ message: expect.stringContaining('Message size limit of 65536 per connection exceeded'), extensions: { code: 'QUERY_TOO_COMPLEX' } })]);
  });

  it('runs it by hash alone once the room is back, and then refuses a second one', async () => {
    socket.send(JSON.stringify({ id: 'registered', type: 'complete' }));
    // Once the gateway has ended the subscription (after the complete), the room is back: asked again until it is.
    let attempt = 0;
    const running = await eventually(
      async () => {
        const id = `by-hash-${attempt++}`;
        send(id, hashAlone());
        return answer(id);
      },
      (message) => message.type === 'next',
      { timeoutMs: 5_000, intervalMs: 20 },
    );
    expect(running.payload).toEqual({ data: { operationUpdated: { status: 'PENDING' } } });
    send('by-hash-again', hashAlone());
    const refused = await answer('by-hash-again');
    expect(refused.type).toBe('error');
    expect(refused.payload).toEqual([expect.objectContaining({ extensions: { code: 'QUERY_TOO_COMPLEX' } })]);
  });
});
