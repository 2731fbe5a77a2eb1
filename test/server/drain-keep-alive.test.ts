import { connect } from 'node:net';
import { Client } from 'undici';
import { describe, expect, it } from 'vitest';
import { eventually, startHarness, withProviderSettings } from '../helpers/harness.js';

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

  // A client pipelining (both requests written at once, as undici's pipelining > 1 sends GETs) has its
  // second request received while the first is answered. Node ends the connection after an answer
  // saying close and drops the answers queued behind it: with every unbegun answer told to close, the
  // second request ran (a mutation would have acted) and its answer never came. Only the newest request
  // on a connection carries the close.
  it('a pipelined request behind it is answered too', async () => {
    const harness = await startHarness({ kinds: ['zomro'] });
    const { server } = harness.simulator('zomro');
    const { hostname, host, port } = new URL(harness.gateway.graphqlUrl);
    const socket = connect(Number(port), hostname.replace(/^\[|\]$/g, ''));
    try {
      server.latencyMs = 400;
      const received = new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
        socket.on('close', () => resolve(text));
      });
      const get = `GET /graphql?query=${encodeURIComponent('{ instances { totalCount } }')} HTTP/1.1\r\nhost: ${host}\r\napollo-require-preflight: true\r\n\r\n`;
      socket.write(get + get);
      await eventually(() => Promise.resolve(server.inFlight), (count) => count > 0);
      await harness.gateway.close();
      const answers = (await received).split('HTTP/1.1 ').slice(1);
      // The second waited its turn behind the first (connection-turns.ts): the drain answers it unrun, SHUTTING_DOWN.
      expect(answers.map((answer) => answer.slice(0, 3))).toEqual(['200', '503']);
      expect(answers[1]).toContain('SHUTTING_DOWN');
      expect(answers.map((answer) => /\r\nconnection: (\S+)/i.exec(answer)?.[1]?.toLowerCase())).toEqual(['keep-alive', 'close']);
    } finally {
      server.latencyMs = 0;
      socket.destroy();
      await harness.close();
    }
  }, 15_000);
});
