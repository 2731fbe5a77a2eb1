import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { eventually, type Harness, startHarness, withLimits, withSettings } from '../helpers/harness.js';
import { messagesWhen, wsUrl } from '../helpers/ws.js';

/** Messages a bare graphql-transport-ws connection received, and a way to wait for more. */
async function openConnection(graphqlUrl: string): Promise<{ socket: WebSocket; messages: Array<{ type: string; id?: string; payload?: unknown }> }> {
  const socket = new WebSocket(wsUrl(graphqlUrl), 'graphql-transport-ws');
  const messages: Array<{ type: string; id?: string; payload?: unknown }> = [];
  socket.on('error', () => {});
  socket.on('message', (data) => messages.push(JSON.parse(String(data)) as { type: string }));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    socket.once('close', () => reject(new Error('closed before connection_ack')));
    messagesWhen(socket, () => messages.some((message) => message.type === 'connection_ack')).then(() => resolve(), reject);
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
      // The cancelled queries end (each waits 400 ms on the provider) and give their places back:
      // asked again until one runs, the fourth's like is answered, not refused.
      let attempt = 0;
      const ran = await eventually(
        async () => {
          const id = `fifth${attempt++}`;
          socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: '{ providers { id } }' } }));
          return { id, answer: await answerTo(id) };
        },
        ({ answer }) => answer.type === 'next',
        { timeoutMs: 5_000, intervalMs: 50 },
      );
      expect(ran.answer).toEqual({ id: ran.id, type: 'next', payload: { data: { providers: [{ id: 'zomro-test' }] } } });
    } finally {
      socket.terminate();
    }
  });
});

/** Past vitest's 30 s for a test: a drain that waits for its timeout fails the test instead of finishing it late. */
const DRAIN_LONGER_THAN_THE_TEST_MS = 10 * 60_000;

describe('WebSocket: an operation graphql-ws cannot identify (operationName naming none, or several operations without one)', () => {
  it('is refused without holding a place: the id can be used again, the cap is untouched, and shutdown neither waits for it nor counts it as cut', async () => {
    const harness = await startHarness({ kinds: ['zomro'], configure: [withLimits({ maxSubscriptionsPerConnection: 2 }), withSettings({ shutdown: { drainTimeoutMs: DRAIN_LONGER_THAN_THE_TEST_MS } })] });
    const { socket, messages } = await openConnection(harness.gateway.graphqlUrl);
    const answers = (id: string) => messages.filter((message) => message.id === id && (message.type === 'next' || message.type === 'error'));
    const settled = (id: string, count: number) => messagesWhen(socket, () => answers(id).length >= count && answers(id));
    try {
      socket.send(JSON.stringify({ id: 'named', type: 'subscribe', payload: { query: '{ providers { id } }', operationName: 'NoSuchOperation' } }));
      socket.send(JSON.stringify({ id: 'two', type: 'subscribe', payload: { query: 'query A { providers { id } } query B { providers { id } }' } }));
      const [named] = await settled('named', 1);
      const [two] = await settled('two', 1);
      expect(named).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
      expect(two).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'BAD_USER_INPUT' } }] });
      // Neither holds a place (cap 2) or its id: both ids run a query now.
      socket.send(JSON.stringify({ id: 'named', type: 'subscribe', payload: { query: '{ providers { id } }' } }));
      socket.send(JSON.stringify({ id: 'two', type: 'subscribe', payload: { query: '{ providers { id } }' } }));
      expect((await settled('named', 2))[1]).toEqual({ id: 'named', type: 'next', payload: { data: { providers: [{ id: 'zomro-test' }] } } });
      expect((await settled('two', 2))[1]).toEqual({ id: 'two', type: 'next', payload: { data: { providers: [{ id: 'zomro-test' }] } } });
      // Nothing runs: the drain closes the connection at once, with nothing cut. The old drain held the connection as
      // answering the refused operations and closed it only at its timeout, here longer than the test is given: its
      // hang is the test's timeout, and no bound on the time close() takes is asserted.
      const closedBy = new Promise<number>((resolve) => socket.once('close', (code: number) => resolve(code)));
      const outcome = await harness.gateway.close();
      expect(outcome.operationsCut).toBe(0);
      expect(await closedBy).toBe(1001);
    } finally {
      socket.terminate();
      await harness.close();
    }
  });
});
