import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encodeId } from '../../src/domain/ids.js';
import { eventually, type Harness, startHarness, withClients, withProviderSettings } from '../helpers/harness.js';
import { wsUrl } from '../helpers/ws.js';

const KEY = 'abandoned-polls-key-0123456789';
const INSTANCES = '{ instances { edges { node { id } } providerErrors { code message } } }';

/** A made-up create operation on instance `plid`: anyone who may read may subscribe to one. */
const madeUpOperation = (plid: string): string => encodeId('Operation', 'zomro-test', ['CREATE_BACKUP', String(Date.now()), plid, '1', 'made-up']);

/** Whether the simulator's log holds a poll of instance `plid` (Zomro lists its backups by `plid`). */
const pollOf = (plid: string) => (request: { query: string; form: Record<string, string> }) => request.query.includes(`plid=${plid}`) || request.form.plid === plid;

// A subscription's place comes back when the client cancels it, but its poll went on: in flight
// until the account's timeoutMs, or waiting in the account's queue and sent later. A client that
// subscribed and cancelled, over and over, filled the account's slots and queue with polls no one
// would read, capped by nothing, and every other client's reads waited behind them.
describe('a subscription cancelled while its poll is under way', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: [withClients([{ name: 'reader', key: KEY, roles: ['viewer'] }]), withProviderSettings({ timeoutMs: 10_000, retries: 0, maxConcurrency: 1 })],
    });
  });
  afterAll(() => harness.close());

  it('cancels its poll: the upstream socket is let go, a poll waiting for a slot is never sent, and another read is served at once', async () => {
    const server = harness.simulator('zomro').server;
    // Headers at once, then a byte a second: only the attempt's 10 s deadline would end it.
    await server.setFault({ mode: 'trickle', trickleIntervalMs: 1_000 });
    harness.resetUpstreamLogs();
    const socket = new WebSocket(wsUrl(harness.gateway.graphqlUrl), 'graphql-transport-ws');
    socket.on('error', () => {});
    const acknowledged = new Promise<void>((resolve) => socket.on('message', (data) => String(data).includes('connection_ack') && resolve()));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${KEY}` } }));
    await acknowledged;
    const subscribe = (id: string, plid: string) =>
      socket.send(JSON.stringify({ type: 'subscribe', id, payload: { query: 'subscription($id: ID!) { operationUpdated(id: $id) { status } }', variables: { id: madeUpOperation(plid) } } }));

    // The first poll takes the account's one slot; the second waits for it.
    subscribe('first', '9000001');
    await eventually(async () => server.count(pollOf('9000001')), (count) => count === 1, { timeoutMs: 5_000, intervalMs: 10 });
    subscribe('second', '9000002');
    await eventually(async () => harness.logs.some((line) => line.includes('upstream request waits for a slot')), Boolean, { timeoutMs: 5_000, intervalMs: 10 });
    socket.send(JSON.stringify({ type: 'complete', id: 'first' }));
    socket.send(JSON.stringify({ type: 'complete', id: 'second' }));

    // Run on, the first poll held its socket to the 10 s deadline.
    await eventually(async () => server.abandoned, (abandoned) => abandoned === 1, { timeoutMs: 3_000, intervalMs: 10 });
    await server.clearFault();
    const read = await harness.gql<{ instances: { providerErrors: unknown[] } }>(INSTANCES, {}, { key: KEY });
    expect(read.data?.instances.providerErrors).toEqual([]);
    // It had waited ahead of this read in the queue, and went out first.
    expect(server.count(pollOf('9000002'))).toBe(0);
    socket.close();
  });
});
