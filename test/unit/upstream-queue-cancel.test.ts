import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { UpstreamClient } from '../../src/upstream/client.js';
import { UpstreamCancelledError } from '../../src/upstream/deadline.js';
import { UPSTREAM_DEFAULTS } from '../../src/upstream/defaults.js';

/**
 * A read waiting for the account's only slot when its GraphQL request ends:
 * it leaves the queue as the gateway's own "cancelled" error (the policy's
 * TaskCancelledError translated), never as a raw cockatiel error.
 */
describe('a read cancelled while it waits for a slot', () => {
  const held: ServerResponse[] = [];
  const requests: IncomingMessage[] = [];
  let arrived: () => void = () => {};
  const server = createServer((request, response) => {
    requests.push(request);
    held.push(response);
    arrived();
  });
  let client: UpstreamClient;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new UpstreamClient({ providerId: 'queued', kind: 'test', baseUrl: `http://127.0.0.1:${port}`, policy: { ...UPSTREAM_DEFAULTS, maxConcurrency: 1, retries: 0 }, logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    for (const response of held) response.end('{}');
    await client.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('rejects with UpstreamCancelledError, and the read never reaches the provider', async () => {
    const first = new Promise<void>((resolve) => (arrived = resolve));
    const holding = client.request({ method: 'GET', path: '/hold', operation: 'hold', scope: { requestId: 'holder' } });
    await first;
    const controller = new AbortController();
    const queued = client.request({ method: 'GET', path: '/queued', operation: 'queued', scope: { requestId: 'leaver', signal: controller.signal } });
    controller.abort();
    const error = await queued.then(() => null, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamCancelledError);
    expect((error as GatewayError).code).toBe('PROVIDER_UNAVAILABLE');
    expect(requests.map((request) => request.url)).toEqual(['/hold']);
    held[0]?.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    expect((await holding).status).toBe(200);
  });
});
