import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeInstanceId } from '../../src/gateway/ids.js';
import { eventually, type Harness, startHarness } from '../helpers/harness.js';
import { NamedMemoryStore } from '../helpers/named-memory-store.js';
import { pendingRestore, startedRecords } from '../helpers/pending-restore.js';
import { wsUrl } from '../helpers/ws.js';

interface Message {
  type: string;
  id?: string;
  payload?: unknown;
}

describe('WebSocket: a subscription id used again right after its complete', () => {
  let harness: Harness;
  /** Operations that never end: a restore OnApp has no transaction for stays PENDING. */
  const pending: string[] = [];

  beforeAll(async () => {
    const store = new NamedMemoryStore();
    harness = await startHarness({ kinds: ['onapp'], store });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    const vm = decodeInstanceId(list.data!.instances.edges[0]!.node.id).nativeId;
    for (const backup of ['999991', '999992']) pending.push(pendingRestore(startedRecords(store), vm, Date.now(), backup).id);
  });
  afterAll(() => harness.close());

  it('never leaves a subscription running that the connection no longer knows: once it closes, no poll loop is left', async () => {
    const socket = new WebSocket(wsUrl(harness.gateway.graphqlUrl), 'graphql-transport-ws');
    const messages: Message[] = [];
    socket.on('error', () => {});
    socket.on('message', (data) => messages.push(JSON.parse(String(data)) as Message));
    await new Promise<void>((resolve) => socket.once('open', () => resolve()));
    socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    await eventually(() => Promise.resolve(messages.length), (count) => count > 0);
    const subscribe = (operation: string) => JSON.stringify({ id: 'same', type: 'subscribe', payload: { query: `subscription { operationUpdated(id: "${operation}") { status } }` } });
    socket.send(subscribe(pending[0]!));
    await eventually(() => Promise.resolve(messages.filter((message) => message.type === 'next').length), (count) => count === 1);
    // The complete and the new subscribe in one write: graphql-ws ends the first while the second starts.
    const socketInternal = (socket as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
    socketInternal.cork();
    socket.send(JSON.stringify({ id: 'same', type: 'complete' }));
    socket.send(subscribe(pending[1]!));
    socketInternal.uncork();
    // The gateway has read both: the second subscribe is answered (refused now; before, it ran).
    await eventually(() => Promise.resolve(messages.length), (count) => count >= 3);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.close();
    await closed;
    // Before, the second subscription ran on unknown to graphql-ws: its poll loop went on for ever.
    await eventually(() => Promise.resolve(harness.gateway.services.watcher.loops), (loops) => loops === 0, { timeoutMs: 3_000 });
  });
});
