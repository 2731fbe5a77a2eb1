import { spawn } from 'node:child_process';
import { request } from 'undici';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../helpers/harness.js';

describe('HTTP surface', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'] });
  });
  afterAll(() => harness.close());

  it('serves GraphiQL at GET /graphql to browsers, gzipped, with the dashboard query and no CDN', async () => {
    // undici's request does not decompress, so the test sees what went over the wire.
    const response = await request(harness.gateway.graphqlUrl, { headers: { accept: 'text/html', 'accept-encoding': 'gzip' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.headers['content-encoding']).toBe('gzip');
    const html = gunzipSync(Buffer.from(await response.body.arrayBuffer())).toString('utf8');
    expect(html).toContain('query Dashboard');
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/);
    expect(html).not.toMatch(/<link[^>]+href=["']https?:/);
  });

  it('answers /healthz, /readyz and unknown routes as JSON', async () => {
    expect(await (await fetch(`${harness.gateway.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${harness.gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    const detailed = await fetch(`${harness.gateway.adminUrl}/readyz`);
    expect(await detailed.json()).toEqual({ status: 'ready', providers: [{ id: 'zomro-test', kind: 'zomro', health: 'UP', breaker: 'closed' }] });
    const missing = await fetch(`${harness.gateway.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ errors: [{ message: 'not found', extensions: { code: 'NOT_FOUND' } }] });
  });

  it('returns an x-request-id on every GraphQL answer', async () => {
    const answer = await harness.gql('{ providers { id } }', {}, { headers: { 'x-request-id': 'trace-abc-123' } });
    expect(answer.headers.get('x-request-id')).toBe('trace-abc-123');
  });
});

describe('npm start (demo mode) and SIGTERM', () => {
  it('serves the demo data, finishes the request in flight on SIGTERM and exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', LOG_FORMAT: '', DEMO_LATENCY_MS: '600' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /GraphiQL: (http:\/\/[^\s"]+)".*\n/.exec(output);
        if (match) resolve(match[1] as string);
      });
      child.on('exit', () => reject(new Error(`exited before listening: ${output}`)));
    });
    expect(output).toContain('DEMO MODE');
    // stdout is a pipe: JSON lines only, the start banner included.
    const lines = output.split('\n').filter(Boolean);
    expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toContainEqual(expect.stringMatching(/^Backup Graph DEMO MODE .*; GraphiQL: http/));
    const inFlight = fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ instances(first: 500) { totalCount edges { node { backups { id } } } } }' }) });
    // A margin for the request to reach the gateway; it then waits >= 1.2 s on the simulators.
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { instances: { totalCount: number } } };
    expect(body.data.instances.totalCount).toBeGreaterThan(0);
    expect(await exited).toBe(0);
  }, 60_000);
});
