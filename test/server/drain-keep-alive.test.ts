import { Client } from 'undici';
import { describe, expect, it } from 'vitest';
import { eventually, startHarness } from '../helpers/harness.js';

const body = JSON.stringify({ query: '{ instances { totalCount } }' });

describe('a keep-alive connection whose request is in flight when the drain starts', () => {
  // Measured with the Dockerfile's command under a dashboard loop: a client whose answer came during the
  // drain sent its next request on the same connection, which the gateway then closed unanswered
  // (undici: "other side closed"). For a mutation that is the ambiguous failure: sent, and no word whether
  // it acted. Told to close, the client opens a new connection for its next request, which is refused
  // (nothing sent: safe to send elsewhere) or, behind a balancer, goes to another replica.
  it('gets its answer with connection: close, so the client sends no request the gateway will not answer', async () => {
    const harness = await startHarness({ kinds: ['zomro'] });
    const { server } = harness.simulator('zomro');
    const client = new Client(new URL(harness.gateway.graphqlUrl).origin, { pipelining: 1 });
    try {
      server.latencyMs = 400;
      const answer = client.request({ path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await eventually(() => Promise.resolve(server.inFlight), (count) => count > 0);
      const closed = harness.gateway.close();
      const { statusCode, headers, body: answerBody } = await answer;
      expect(statusCode).toBe(200);
      expect(await answerBody.json()).toEqual({ data: { instances: { totalCount: expect.any(Number) } } });
      expect(headers.connection).toBe('close');
      await closed;
    } finally {
      server.latencyMs = 0;
      await client.close().catch(() => {});
      await harness.close();
    }
  }, 15_000);
});
