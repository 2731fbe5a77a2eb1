import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { isZstackErrorAnswer } from '../../src/providers/zstack/client.js';
import { UpstreamClient } from '../../src/upstream/client.js';
import { UPSTREAM_DEFAULTS } from '../../src/upstream/defaults.js';
import { MAX_JSON_CONTAINERS } from '../../src/upstream/json-containers.js';
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

/** A provider answering `count` copies of `row` as one JSON list (`?row=...&count=...`, `&status=503` for another status than 200). */
function listProvider(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const params = new URL(req.url ?? '/', 'http://x').searchParams;
    const row = params.get('row') ?? '{}';
    res.writeHead(Number(params.get('status') ?? 200), { 'content-type': 'application/json' });
    res.end(`[${Array.from({ length: Number(params.get('count')) }, () => row).join(',')}]`);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

/**
 * JSON.parse holds the event loop for as long as it builds values, and cannot be cut into turns:
 * 32 MiB of `[{},{},...]` (11 million objects, within the size limit) held it 13-39 s and 680 MB.
 */
describe('upstream answers of more JSON objects and arrays than MAX_JSON_CONTAINERS', () => {
  let provider: { server: Server; url: string };
  let client: UpstreamClient;
  beforeAll(async () => {
    provider = await listProvider();
    client = new UpstreamClient({ providerId: 'many', kind: 'onapp', baseUrl: provider.url, policy: { ...UPSTREAM_DEFAULTS, retries: 0 }, logger: createLogger('silent') });
  });
  afterAll(async () => {
    await client.close();
    provider.server.close();
  });

  const list = (row: string, count: number) => client.request({ method: 'GET', path: '/', query: { row, count }, idempotent: true, operation: 'many.read', scope: UNSCOPED });

  it('refuses one past the limit as PROVIDER_ERROR RESPONSE_TOO_LARGE before parsing it, and keeps working', async () => {
    await expect(list('{}', MAX_JSON_CONTAINERS + 1)).rejects.toMatchObject({
      code: 'PROVIDER_ERROR',
      message: `provider many sent an answer of more than ${MAX_JSON_CONTAINERS} JSON objects and arrays, too many to read`,
      details: { provider: 'many', providerCode: 'RESPONSE_TOO_LARGE' },
    });
    expect((await list('{"id":1}', 3)).body).toEqual([{ id: 1 }, { id: 1 }, { id: 1 }]);
  }, 30_000);

  it('reads a 5xx of more than the limit for no passErrorBody (its body would be parsed first), and takes it as an outage', async () => {
    const handed: unknown[] = [];
    // ZStack's own reading of a 503, handed the parsed body.
    const passErrorBody = (status: number, body: unknown): boolean => {
      handed.push(body);
      return isZstackErrorAnswer(status, body);
    };
    const failing = (count: number) =>
      client.request({ method: 'GET', path: '/', query: { row: '{}', count, status: 503 }, idempotent: true, operation: 'many.read', passErrorBody, scope: UNSCOPED });
    await expect(failing(MAX_JSON_CONTAINERS + 1)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE', details: { provider: 'many' } });
    expect(handed).toEqual([]);
    // Within the limit, a 503 is still ZStack's to read.
    await expect(failing(3)).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(handed).toEqual([[{}, {}, {}]]);
  }, 30_000);

  it('reads a long answer whose braces and brackets are in its strings, escaped quotes too', async () => {
    // 4 million braces and brackets in strings, 500,000 objects: 13 MB, past the length it is read at.
    const row = JSON.stringify({ note: '{[\\"{[{[{[' });
    const answer = await list(row, 500_000);
    expect((answer.body as unknown[]).length).toBe(500_000);
    expect((answer.body as unknown[])[0]).toEqual({ note: '{[\\"{[{[{[' });
  }, 30_000);
});
