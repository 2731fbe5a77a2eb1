import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { eventually, startHarness } from '../helpers/harness.js';

const QUERY = '{ instances { totalCount } }';

function rawConnection(url: string): { socket: Socket; host: string; received: Promise<string> } {
  const { hostname, host, port } = new URL(url);
  const socket = connect(Number(port), hostname.replace(/^\[|\]$/g, ''));
  socket.on('error', () => {});
  const received = new Promise<string>((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('close', () => resolve(text));
  });
  return { socket, host, received };
}

const statuses = (text: string): string[] => text.split('HTTP/1.1 ').slice(1).map((answer) => answer.slice(0, 3));

/**
 * Guards (both pass on the current code): the drain with a POST pipelined behind a request in
 * flight whose body had not all arrived, and with a client that half-closed after its request.
 */
describe('the drain and pipelined requests whose bodies trickle in', () => {
  it('a POST pipelined behind a request in flight, its body half sent: the first answered, the POST 503 unrun, the drain not cut', async () => {
    const harness = await startHarness({ kinds: ['zomro'] });
    const { server } = harness.simulator('zomro');
    const { socket, host, received } = rawConnection(harness.gateway.graphqlUrl);
    try {
      server.latencyMs = 400;
      const get = `GET /graphql?query=${encodeURIComponent(QUERY)} HTTP/1.1\r\nhost: ${host}\r\napollo-require-preflight: true\r\n\r\n`;
      const body = JSON.stringify({ query: QUERY });
      socket.write(`${get}POST /graphql HTTP/1.1\r\nhost: ${host}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 5)}`);
      await eventually(() => Promise.resolve(server.inFlight), (count) => count > 0);
      const outcome = await harness.gateway.close();
      expect(statuses(await received)).toEqual(['200', '503']);
      expect(outcome).toMatchObject({ requestsCut: 0, operationsCut: 0 });
    } finally {
      server.latencyMs = 0;
      socket.destroy();
      await harness.close();
    }
  }, 20_000);

  // Node's own rule, kept by half-closed-bodies.ts: a client that ends its side once its request is
  // written is gone, and its request is cut as one whose client left (its reads cancelled), drain or not.
  it('a client that half-closed after its request (FIN): ended unanswered as a client gone, nothing left for the drain to wait for or count cut', async () => {
    const harness = await startHarness({ kinds: ['zomro'] });
    const { server } = harness.simulator('zomro');
    const { socket, host, received } = rawConnection(harness.gateway.graphqlUrl);
    try {
      const body = JSON.stringify({ query: QUERY });
      socket.end(`POST /graphql HTTP/1.1\r\nhost: ${host}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`);
      // The gateway ends the connection at the client's end, unanswered.
      expect(statuses(await received)).toEqual([]);
      const outcome = await harness.gateway.close();
      expect(outcome).toMatchObject({ requestsCut: 0, operationsCut: 0 });
    } finally {
      server.latencyMs = 0;
      socket.destroy();
      await harness.close();
    }
  }, 20_000);
});
