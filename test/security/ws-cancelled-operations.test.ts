import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Harness, startHarness, withLimits } from '../helpers/harness.js';
import { wsUrl } from '../helpers/ws.js';

/** Messages a bare graphql-transport-ws connection received, and a way to wait for more. */
async function openConnection(graphqlUrl: string): Promise<{ socket: WebSocket; messages: Array<{ type: string; id?: string; payload?: unknown }> }> {
  const socket = new WebSocket(wsUrl(graphqlUrl), 'graphql-transport-ws');
  const messages: Array<{ type: string; id?: string; payload?: unknown }> = [];
  socket.on('error', () => {});
  socket.on('message', (data) => messages.push(JSON.parse(String(data)) as { type: string }));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    socket.once('close', () => reject(new Error('closed before connection_ack')));
    const wait = setInterval(() => {
      if (messages.some((message) => message.type === 'connection_ack')) {
        clearInterval(wait);
        resolve();
      }
    }, 5);
  });
  return { socket, messages };
}

describe('WebSocket: operations a client cancelled still count toward its per-connection cap while they run', () => {
  let harness: Harness;
  beforeAll(async () => {
    // Every provider call takes 400 ms: a query sent now is still running when the next ones arrive.
    harness = await startHarness({ kinds: ['zomro'], simulator: { latencyMs: 400 }, configure: withLimits({ maxSubscriptionsPerConnection: 3 }) });
  });
  afterAll(async () => {
    await harness.close();
  });

  it('three queries sent and cancelled at once still hold the three places while they run; the fourth is refused, and runs once they end', async () => {
    const { socket, messages } = await openConnection(harness.gateway.graphqlUrl);
    const answerTo = (id: string) =>
      new Promise<{ type: string; payload?: unknown }>((resolve) => {
        const wait = setInterval(() => {
          const answer = messages.find((message) => message.id === id && (message.type === 'next' || message.type === 'error'));
          if (answer) {
            clearInterval(wait);
            resolve(answer);
          }
        }, 5);
      });
    try {
      for (let index = 0; index < 3; index++) {
        const id = `cancelled${index}`;
        socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: '{ instances { totalCount } }' } }));
        // graphql-ws forgets an operation at its client's complete, though the query goes on running.
        socket.send(JSON.stringify({ id, type: 'complete' }));
      }
      socket.send(JSON.stringify({ id: 'fourth', type: 'subscribe', payload: { query: '{ providers { id } }' } }));
      const fourth = await answerTo('fourth');
      expect(fourth.type).toBe('error');
      expect(JSON.stringify(fourth.payload)).toContain('QUERY_TOO_COMPLEX');
      expect(JSON.stringify(fourth.payload)).toContain('Subscription limit of 3 per connection');
      // The cancelled queries end (each waits 400 ms on the provider) and give their places back.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      socket.send(JSON.stringify({ id: 'fifth', type: 'subscribe', payload: { query: '{ providers { id } }' } }));
      expect(await answerTo('fifth')).toEqual({ id: 'fifth', type: 'next', payload: { data: { providers: [{ id: 'zomro-test' }] } } });
    } finally {
      socket.terminate();
    }
  });
});
