import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_HOST_MESSAGE } from '../../src/server/admin.js';
import { type Harness, startHarness, withSettings } from '../helpers/harness.js';

/** A GET as a browser sends it once a site's own name points at the admin listener's address (DNS rebinding). fetch cannot set Host. */
function get(url: string, path: string, host: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const sent = request({ hostname, port, path, method: 'GET', headers: { host, 'sec-fetch-site': 'same-origin' } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    sent.on('error', reject);
    sent.end();
  });
}

/** A request written byte for byte (two Host lines, an absolute-form target: no client library sends them); its status and body. */
function raw(url: string, head: string): Promise<{ status: number; text: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }));
    socket.write(`${head}\r\nConnection: close\r\n\r\n`);
  });
}

/**
 * The admin listener has no keys: loopback was its only guard. A page of any site the operator's
 * browser opens can point a name of its own at 127.0.0.1 and read /metrics and the detailed
 * /readyz as its own origin: every account's id, health and counts, the protection gauges.
 */
describe('the admin listener answers only at an address, a loopback name or a name in admin.allowedHosts (DNS rebinding)', () => {
  let harness: Harness;
  let port: string;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: withSettings({ admin: { host: '127.0.0.1', port: 0, allowedHosts: ['metrics.example.net', '.corp.example'] } }),
    });
    port = new URL(harness.gateway.adminUrl).port;
  });
  afterAll(() => harness.close());

  it('refuses /metrics and /readyz sent to another site\'s name with 403 FORBIDDEN, naming nothing of the providers', async () => {
    for (const path of ['/metrics', '/readyz']) {
      for (const host of [`rebind.attacker.example:${port}`, 'rebind.attacker.example', `corp.example.attacker.example:${port}`]) {
        const answer = await get(harness.gateway.adminUrl, path, host);
        expect(answer.status, `${path} at ${host}`).toBe(403);
        expect(JSON.parse(answer.text)).toEqual({ errors: [{ message: ADMIN_HOST_MESSAGE, extensions: { code: 'FORBIDDEN' } }] });
        expect(answer.text).not.toContain('zomro-test');
      }
    }
  });

  it('answers at an IP address, a loopback name and the names the config lists, as scrapers and probes send them', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `10.1.2.3:${port}`, `metrics.example.net:${port}`, `gw-1.corp.example:${port}`, 'corp.example']) {
      const metrics = await get(harness.gateway.adminUrl, '/metrics', host);
      expect(metrics.status, host).toBe(200);
      expect(metrics.text).toContain('zomro-test');
      const ready = await get(harness.gateway.adminUrl, '/readyz', host);
      expect(ready.status, host).toBe(200);
      expect(ready.text).toContain('zomro-test');
    }
  });

  it('answers /healthz at any name: it says nothing but that the process is up', async () => {
    const answer = await get(harness.gateway.adminUrl, '/healthz', `rebind.attacker.example:${port}`);
    expect(answer.status).toBe(200);
  });

  it('refuses, with the same 403, what a strict read of the name refuses: an absolute-form target naming another site, an IPv4 address as no scraper writes it (two Host lines: a 400 before it)', async () => {
    const refused = [
      `GET http://evil.example/metrics HTTP/1.1\r\nHost: 127.0.0.1:${port}`,
      `GET http://evil.example:${port}/readyz HTTP/1.1\r\nHost: localhost:${port}`,
      `GET http://2130706433:${port}/metrics HTTP/1.1\r\nHost: 127.0.0.1:${port}`,
      `GET /metrics HTTP/1.1\r\nHost: 2130706433:${port}`,
      `GET /metrics HTTP/1.1\r\nHost: 0x7f.0.0.1:${port}`,
      `GET /metrics HTTP/1.1\r\nHost: 127.1:${port}`,
    ];
    const answers = await Promise.all(refused.map((head) => raw(harness.gateway.adminUrl, head)));
    // Each status beside its request, so a failure names every one let through.
    expect(answers.map((answer, index) => [refused[index], answer.status])).toEqual(refused.map((head) => [head, 403]));
    for (const answer of answers) {
      expect(answer.text).toContain(ADMIN_HOST_MESSAGE);
      expect(answer.text).not.toContain('zomro-test');
    }
    // Two Host lines are refused on every request, before any guard reads the name (request-framing.ts).
    for (const head of [`GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nHost: rebind.attacker.example`, `GET /metrics HTTP/1.1\r\nHost: rebind.attacker.example\r\nHost: 127.0.0.1:${port}`]) {
      const answer = await raw(harness.gateway.adminUrl, head);
      expect(answer.status, head).toBe(400);
      expect(answer.text, head).toContain('the host header was sent on more than one line');
      expect(answer.text, head).not.toContain('zomro-test');
    }
  });

  it('answers an absolute-form target naming an allowed address, and localhost with its root\'s trailing dot (the same name, which no one can point elsewhere)', async () => {
    for (const head of [
      `GET http://127.0.0.1:${port}/metrics HTTP/1.1\r\nHost: 127.0.0.1:${port}`,
      `GET /metrics HTTP/1.1\r\nHost: localhost.:${port}`,
      `GET /metrics HTTP/1.1\r\nHost: metrics.example.net.`,
    ]) {
      const answer = await raw(harness.gateway.adminUrl, head);
      expect(answer.status, head).toBe(200);
      expect(answer.text, head).toContain('zomro-test');
    }
  });
});
