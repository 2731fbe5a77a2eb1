import { Session } from 'node:inspector/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeInstanceId } from '../../src/gateway/ids.js';
import { type Harness, startHarness } from '../helpers/harness.js';
import { NamedMemoryStore } from '../helpers/named-memory-store.js';
import { pendingRestore, startedRecords } from '../helpers/pending-restore.js';
import { wsUrl } from '../helpers/ws.js';

/** Connections, one subscription each: within the per-address cap of 20. */
const CONNECTIONS = 8;
/** `[{},{},...]` just under the 1 MiB message limit: parsed, some 20 times its text. */
const JUNK = `[${Array.from({ length: 340_000 }, () => '{}').join(',')}]`;

/** Heap in use after a full collection (the heap profiler's own: no --expose-gc needed). */
async function heapAfterGc(): Promise<number> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.collectGarbage');
  session.disconnect();
  return process.memoryUsage().heapUsed;
}

/** Opens a connection and subscribes with `text` as the whole subscribe message; resolves at its first `next`. */
function subscribeWith(graphqlUrl: string, text: string): Promise<{ socket: WebSocket; first: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(graphqlUrl), 'graphql-transport-ws');
    socket.on('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string; payload?: unknown };
      if (message.type === 'connection_ack') socket.send(text);
      else resolve({ socket, first: message });
    });
    socket.once('close', (code) => reject(new Error(`closed with ${code}`)));
  });
}

describe('WebSocket: what a subscription holds until it ends is what it runs with', () => {
  let harness: Harness;
  /** An operation that never ends: a restore OnApp has no transaction for stays PENDING. */
  let pending: string;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    const store = new NamedMemoryStore();
    harness = await startHarness({ kinds: ['onapp'], store });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances { edges { node { id } } } }');
    const vm = decodeInstanceId(list.data!.instances.edges[0]!.node.id).nativeId;
    // A restore OnApp lists no transaction for, recorded as restoreBackup records its own: PENDING for minutes.
    pending = pendingRestore(startedRecords(store), vm, Date.now()).id;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.terminate();
    await harness.close();
  });

  it("keeps neither a subscribe's extensions nor variables its operation does not declare (8 such held ~190 MB)", async () => {
    const before = await heapAfterGc();
    const query = 'subscription($id: ID!) { operationUpdated(id: $id) { status } }';
    for (let index = 0; index < CONNECTIONS; index++) {
      // Half carry the junk in `extensions`, half in an undeclared variable.
      const junk = index % 2 === 0 ? `"variables":{"id":"${pending}"},"extensions":{"junk":${JUNK}}` : `"variables":{"id":"${pending}","junk":${JUNK}}`;
      const { socket, first } = await subscribeWith(harness.gateway.graphqlUrl, `{"id":"s","type":"subscribe","payload":{"query":"${query}",${junk}}}`);
      sockets.push(socket);
      // It runs, with the variable it declares.
      expect(first).toEqual({ id: 's', type: 'next', payload: { data: { operationUpdated: { status: 'PENDING' } } } });
    }
    const grown = (await heapAfterGc()) - before;
    // About 23 MB each when kept; what is left is the connections' own and the poll loops'.
    expect(grown).toBeLessThan(40 * 1024 * 1024);
  });
});
