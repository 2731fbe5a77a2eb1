import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RequestHold } from '../../src/simulator/request-hold.js';
import { eventually, startHarness, withProviderSettings, withTrustedLoopbackProxy, type Harness } from '../helpers/harness.js';
import { rawConnection } from '../helpers/ws.js';

/** Zomro's backup list: the call held, so the account's one slot stays taken. */
const BACKUP_LIST = 'instances.fleio_bckps';
/** A first request whose backup reads, one per instance, take the slot and fill the queue. */
const FILLS_THE_SLOTS = '{ instances(first: 100) { edges { node { backups { id } } } } }';

/**
 * A request answered while its upstream calls still wait for one of the account's slots (its
 * client went away, or its answer went out without them) sends none of them afterwards: they
 * leave the queue, and the calls-waiting gauge goes back. The calls are counted at the simulator
 * by the request id each carries (a trusted loopback proxy's id is the request's).
 */
describe('a request answered while its calls wait for a slot', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: [withProviderSettings({ maxConcurrency: 1, cacheTtlMs: 0 }), withTrustedLoopbackProxy()] });
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.resetUpstreamLogs());

  const post = (query: string, requestId: string, signal?: AbortSignal): Promise<Response> =>
    fetch(harness.gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': requestId }, body: JSON.stringify({ query }), signal });
  const sentFor = (requestId: string): number => harness.simulator('zomro').server.count((request) => request.headers['x-request-id'] === requestId);
  const waitingNow = async (): Promise<number> => {
    const text = await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text();
    const line = text.split('\n').find((entry) => entry.startsWith('backup_graph_upstream_calls_waiting{') && entry.includes(`provider="${harness.providerId('zomro')}"`));
    return line === undefined ? 0 : Number(line.split(' ').at(-1));
  };

  /** The first request holds the slot (its first backup list held at the simulator), its other reads queued behind it. */
  const fillSlots = async (requestId: string): Promise<{ hold: RequestHold; answered: Promise<Response> }> => {
    const hold = harness.simulator('zomro').server.holdAnswersOf(BACKUP_LIST);
    const answered = post(FILLS_THE_SLOTS, requestId);
    await hold.arrived;
    return { hold, answered };
  };

  it('whose client closed the connection: its queued reads are never sent', async () => {
    const { hold, answered } = await fillSlots('fills-slots-1');
    const queuedBefore = await waitingNow();
    const client = new AbortController();
    const left = post('{ instances(first: 5) { edges { node { id name } } } }', 'client-leaves', client.signal).catch(() => null);
    expect(await eventually(waitingNow, (waiting) => waiting > queuedBefore)).toBeGreaterThan(queuedBefore);
    client.abort();
    await left;
    expect(await eventually(waitingNow, (waiting) => waiting === queuedBefore)).toBe(queuedBefore);
    hold.release();
    expect((await answered).status).toBe(200);
    expect(sentFor('client-leaves')).toBe(0);
    expect(sentFor('fills-slots-1')).toBeGreaterThan(1);
  });

  it('over WebSocket, a query its client cancelled (`complete`), the connection still open: its queued reads are never sent', async () => {
    const { hold, answered } = await fillSlots('fills-slots-ws');
    const queuedBefore = await waitingNow();
    const connection = rawConnection(harness.gateway.graphqlUrl);
    try {
      expect(await connection.acknowledged).toBe(true);
      const others = (): number => harness.simulator('zomro').server.count((request) => request.headers['x-request-id'] !== 'fills-slots-ws');
      const othersBefore = others();
      connection.socket.send(JSON.stringify({ id: 'q1', type: 'subscribe', payload: { query: '{ instances(first: 5) { edges { node { id name } } } }' } }));
      expect(await eventually(waitingNow, (waiting) => waiting > queuedBefore)).toBeGreaterThan(queuedBefore);
      connection.socket.send(JSON.stringify({ id: 'q1', type: 'complete' }));
      expect(await eventually(waitingNow, (waiting) => waiting === queuedBefore)).toBe(queuedBefore);
      hold.release();
      expect((await answered).status).toBe(200);
      // Every call sent since the query was cancelled is the first request's.
      expect(others()).toBe(othersBefore);
    } finally {
      connection.socket.close();
    }
  });
});
