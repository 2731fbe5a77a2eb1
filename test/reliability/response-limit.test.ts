import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { UpstreamClient } from '../../src/upstream/client.js';
import { UPSTREAM_DEFAULTS } from '../../src/upstream/defaults.js';
import { UNSCOPED } from '../../src/upstream/scope.js';

/** A provider that streams `bytes` of JSON in 64 KB chunks, with no content-length. */
function streamingProvider(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const bytes = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('bytes'));
    res.writeHead(200, { 'content-type': 'application/json' });
    const filler = 'x'.repeat(64 * 1024);
    let sent = 0;
    res.write('["');
    const more = () => {
      while (sent < bytes) {
        sent += filler.length;
        if (!res.write(filler)) return void res.once('drain', more);
      }
      res.end('"]');
    };
    more();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

describe('upstream answer size limit', () => {
  let provider: { server: Server; url: string };
  let client: UpstreamClient;
  beforeAll(async () => {
    provider = await streamingProvider();
    client = new UpstreamClient({
      providerId: 'big',
      kind: 'zomro',
      baseUrl: provider.url,
      policy: { ...UPSTREAM_DEFAULTS, retries: 0, maxResponseBytes: 1024 * 1024 },
      logger: createLogger('silent'),
    });
  });
  afterAll(async () => {
    await client.close();
    provider.server.close();
  });

  const get = (bytes: number) => client.request({ method: 'GET', path: '/', query: { bytes }, idempotent: true, operation: 'big.read', scope: UNSCOPED });

  it('reads an answer under the limit whole', async () => {
    const answer = await get(512 * 1024);
    expect((answer.body as string[])[0]?.length).toBeGreaterThanOrEqual(512 * 1024);
  });

  it('refuses an answer over the limit as PROVIDER_ERROR without reading it all, and keeps working', async () => {
    await expect(get(64 * 1024 * 1024)).rejects.toMatchObject({ code: 'PROVIDER_ERROR', details: { provider: 'big', providerCode: 'RESPONSE_TOO_LARGE' } });
    const after = await get(1024);
    expect(after.status).toBe(200);
  });
});
