import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RequestHold } from '../../src/simulator/request-hold.js';
import { eventually, startHarness, withProviderSettings, withTrustedLoopbackProxy, type Harness } from '../helpers/harness.js';
import { rawConnection, type RawConnection } from '../helpers/ws.js';

/** Zomro's backup list: the call held, so the account's one slot stays taken. */
const BACKUP_LIST = 'instances.fleio_bckps';
/** Zomro's create: the provider acts at once, its answer held. */
const CREATE_FUNC = 'instances.fleio_bckps.edit';
const FILLS_THE_SLOTS = '{ instances(first: 100) { edges { node { backups { id } } } } }';
const QUEUED_QUERY = '{ instances(first: 5) { edges { node { id name } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';

interface Message {
  id?: string;
  type: string;
  payload?: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: { code?: string } }> } | Array<{ message: string; extensions?: { code?: string } }>;
}

/**
 * Attacks on a WebSocket query's own cancellation (`complete`): the cancel must reach the query
 * however the message is written, reach nothing else, and leave a mutation to finish.
 */
describe('WebSocket complete: attacks on the cancellation of one operation', () => {
  let harness: Harness;
  // The held call outlasts any wait of the test: the queue empties only by the cancel.
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: [withProviderSettings({ maxConcurrency: 1, cacheTtlMs: 0, timeoutMs: 120_000 }), withTrustedLoopbackProxy()] });
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.resetUpstreamLogs());

  const post = (body: object, requestId: string): Promise<Response> =>
    fetch(harness.gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': requestId }, body: JSON.stringify(body) });
  const waitingNow = async (): Promise<number> => {
    const text = await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
    const line = text.split('\n').find((entry) => entry.startsWith('backup_graph_upstream_calls_waiting{') && entry.includes(`provider="${harness.providerId('zomro')}"`));
    return line === undefined ? 0 : Number(line.split(' ').at(-1));
  };
  const fillSlots = async (requestId: string): Promise<{ hold: RequestHold; answered: Promise<Response> }> => {
    const hold = harness.simulator('zomro').server.holdAnswersOf(BACKUP_LIST);
    const answered = post({ query: FILLS_THE_SLOTS }, requestId);
    await hold.arrived;
    return { hold, answered };
  };
  /** Every message the connection receives from now on. */
  const received = (connection: RawConnection): Message[] => {
    const messages: Message[] = [];
    connection.socket.on('message', (data) => messages.push(JSON.parse(String(data)) as Message));
    return messages;
  };
  const subscribe = (connection: RawConnection, id: string, query: string, variables?: Record<string, unknown>): void =>
    connection.socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query, ...(variables ? { variables } : {}) } }));

  /** A query queued behind the held slot, cancelled by `complete` written as `completeText`: its queued reads leave. */
  const cancelledWith = async (completeText: string, requestId: string): Promise<void> => {
    const { hold, answered } = await fillSlots(requestId);
    const queuedBefore = await waitingNow();
    const connection = rawConnection(harness.gateway.graphqlUrl);
    try {
      expect(await connection.acknowledged).toBe(true);
      subscribe(connection, 'q1', QUEUED_QUERY);
      expect(await eventually(waitingNow, (waiting) => waiting > queuedBefore)).toBeGreaterThan(queuedBefore);
      connection.socket.send(completeText);
      expect(await eventually(waitingNow, (waiting) => waiting === queuedBefore)).toBe(queuedBefore);
    } finally {
      hold.release();
      expect((await answered).status).toBe(200);
      connection.socket.close();
    }
  };

  it('a complete padded with whitespace (graphql-ws honours it) cuts the query as a plain one does', async () => {
    await cancelledWith(`{"id":"q1",${' '.repeat(4_000)}"type":"complete"}`, 'fills-padded-space');
  });

  it('a complete carrying a field graphql-ws ignores, however long, cuts the query', async () => {
    await cancelledWith(JSON.stringify({ id: 'q1', type: 'complete', note: 'x'.repeat(8_000) }), 'fills-padded-field');
  });

  it('a complete sent before its subscribe, one for an id never used, and a flood of them cancel nothing later', async () => {
    const connection = rawConnection(harness.gateway.graphqlUrl);
    try {
      expect(await connection.acknowledged).toBe(true);
      const messages = received(connection);
      connection.socket.send(JSON.stringify({ id: 'early', type: 'complete' }));
      for (let n = 0; n < 2_000; n += 1) connection.socket.send(JSON.stringify({ id: `never-${n}`, type: 'complete' }));
      subscribe(connection, 'early', QUEUED_QUERY);
      const answer = await eventually(
        async () => messages.find((message) => message.id === 'early' && message.type === 'next'),
        (message) => message !== undefined,
      );
      const payload = answer?.payload as { data?: { instances?: { edges: unknown[] } }; errors?: unknown[] };
      expect(payload.errors).toBeUndefined();
      expect(payload.data?.instances?.edges.length).toBeGreaterThan(0);
      expect(await eventually(async () => messages.some((message) => message.id === 'early' && message.type === 'complete'), Boolean)).toBe(true);
      expect(connection.socket.readyState).toBe(connection.socket.OPEN);
    } finally {
      connection.socket.close();
    }
  });

  it('an id used again after its complete, while the cancelled query still runs: refused, then free once it has ended', async () => {
    const { hold, answered } = await fillSlots('fills-reused');
    const queuedBefore = await waitingNow();
    const connection = rawConnection(harness.gateway.graphqlUrl);
    try {
      expect(await connection.acknowledged).toBe(true);
      const messages = received(connection);
      subscribe(connection, 'q1', QUEUED_QUERY);
      expect(await eventually(waitingNow, (waiting) => waiting > queuedBefore)).toBeGreaterThan(queuedBefore);
      connection.socket.send(JSON.stringify({ id: 'q1', type: 'complete' }));
      subscribe(connection, 'q1', QUEUED_QUERY);
      expect(await eventually(waitingNow, (waiting) => waiting === queuedBefore)).toBe(queuedBefore);
      hold.release();
      expect((await answered).status).toBe(200);
      // The second subscribe was refused while the first ran, or ran uncut once it had ended: never cut by the first's cancel.
      const second = await eventually(
        async () => messages.find((message) => message.id === 'q1' && (message.type === 'error' || message.type === 'next')),
        (message) => message !== undefined,
      );
      if (second?.type === 'error') {
        subscribe(connection, 'q1', QUEUED_QUERY);
        await eventually(async () => messages.filter((message) => message.id === 'q1' && message.type === 'next').length, (count) => count === 1);
      }
      const next = messages.find((message) => message.id === 'q1' && message.type === 'next');
      const payload = next?.payload as { data?: { instances?: { edges: unknown[] } }; errors?: unknown[] };
      expect(payload.errors).toBeUndefined();
      expect(payload.data?.instances?.edges.length).toBeGreaterThan(0);
    } finally {
      hold.release();
      connection.socket.close();
    }
  });

  it('a mutation cancelled while its write is at the provider finishes: the same idempotencyKey later answers its operation', async () => {
    const listed = (await (await post({ query: '{ instances(first: 1) { edges { node { id } } } }' }, 'list-one')).json()) as { data: { instances: { edges: Array<{ node: { id: string } }> } } };
    const instanceId = listed.data.instances.edges[0]!.node.id;
    const hold = harness.simulator('zomro').server.holdAnswersOf(CREATE_FUNC);
    const connection = rawConnection(harness.gateway.graphqlUrl);
    try {
      expect(await connection.acknowledged).toBe(true);
      const variables = { input: { instanceId, name: 'cancelled-mid-write', idempotencyKey: 'ws-cancel-mid-write' } };
      subscribe(connection, 'm1', CREATE, variables);
      await hold.arrived;
      connection.socket.send(JSON.stringify({ id: 'm1', type: 'complete' }));
      hold.release();
      const again = await eventually(
        async () => (await (await post({ query: CREATE, variables }, 'create-again')).json()) as { data?: { createBackup?: { operation?: { id?: string } } } | null; errors?: unknown[] },
        (answer) => answer.errors === undefined,
      );
      expect(again.errors).toBeUndefined();
      expect(again.data?.createBackup?.operation?.id).toEqual(expect.any(String));
      expect(harness.simulator('zomro').server.count(CREATE_FUNC)).toBe(1);
    } finally {
      hold.release();
      connection.socket.close();
    }
  });
});
