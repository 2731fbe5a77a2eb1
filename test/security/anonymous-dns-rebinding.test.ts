import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ANONYMOUS_HOST_MESSAGE } from '../../src/server/anonymous-host.js';
import { type Harness, startHarness, withClients } from '../helpers/harness.js';
import { wsUrl } from '../helpers/ws.js';

const KEY = 'rebinding-test-admin-key-0123456789';

/**
 * A POST as a browser sends it once a site's own name points at the gateway (DNS rebinding):
 * Host and Origin both name that site, so the page counts as the same origin. fetch cannot set Host.
 */
function post(url: string, host: string, body: object, key?: string): Promise<{ status: number; text: string; requestId: string | undefined }> {
  const { hostname, port, pathname } = new URL(url);
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body);
    const sent = request(
      { hostname, port, path: pathname, method: 'POST', headers: { host, origin: `http://${host}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...(key ? { authorization: `Bearer ${key}` } : {}) } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text, requestId: response.headers['x-request-id'] as string | undefined }));
      },
    );
    sent.on('error', reject);
    sent.end(payload);
  });
}

/** A WebSocket from a page whose origin is `host`, sent to `host`: 'ack' or the close code. */
function connect(url: string, host: string, key?: string): Promise<'ack' | number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(wsUrl(url), 'graphql-transport-ws', { headers: { host, origin: `http://${host}` } });
    socket.on('error', () => {});
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: key ? { authorization: `Bearer ${key}` } : {} })));
    socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type !== 'connection_ack') return;
      resolve('ack');
      socket.terminate();
    });
    socket.once('close', (code) => resolve(code));
  });
}

const PROVIDERS = { query: '{ providers { id } }' };

describe('allowAnonymous: a caller without a key is answered only at an address, a loopback name or a name in listen.allowedHosts (DNS rebinding)', () => {
  let harness: Harness;
  let port: string;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      configure: [
        withClients([{ name: 'ops', key: KEY, roles: ['admin'] }], { allowAnonymous: true, anonymousRole: 'admin' }),
        (config) => ({ ...config, listen: { ...(config.listen as object), allowedHosts: ['backups.example.net', '.corp.example'] } }),
      ],
    });
    port = new URL(harness.gateway.graphqlUrl).port;
  });
  afterAll(() => harness.close());

  it('refuses HTTP from a page of a site whose name was pointed at the gateway (it acted as the anonymous admin)', async () => {
    const rebound = await post(harness.gateway.graphqlUrl, `attacker.example:${port}`, PROVIDERS);
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.text)).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    expect(rebound.text).toContain('listen.allowedHosts');
    // The operator can see which name was refused, as on the WebSocket path.
    const line = harness.logs.map((text) => JSON.parse(text) as { msg: string; requestId?: string; host?: string; level: number }).find((entry) => entry.requestId === rebound.requestId);
    expect(line).toMatchObject({ msg: 'request refused: anonymous at a name not in listen.allowedHosts', host: `attacker.example:${port}`, level: 30 });
  });

  it('says what to do in a message that fits a WebSocket close frame (123 bytes)', () => {
    expect(Buffer.byteLength(ANONYMOUS_HOST_MESSAGE)).toBeLessThanOrEqual(123);
    expect(ANONYMOUS_HOST_MESSAGE).toContain('send a key');
  });

  it('refuses such a WebSocket with 4403', async () => {
    expect(await connect(harness.gateway.graphqlUrl, `attacker.example:${port}`)).toBe(4403);
  });

  it('answers anonymous callers at an IP address, a loopback name, a listed name and a name under a listed .domain', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `10.1.2.3:${port}`, `backups.example.net:${port}`, `BACKUPS.example.net.:${port}`, `gw.corp.example:${port}`]) {
      const answer = await post(harness.gateway.graphqlUrl, host, PROVIDERS);
      expect({ host, status: answer.status }).toEqual({ host, status: 200 });
    }
    expect(await connect(harness.gateway.graphqlUrl, `backups.example.net:${port}`)).toBe('ack');
    // Not a listed name: only names under it.
    expect((await post(harness.gateway.graphqlUrl, `corp.example.attacker.example:${port}`, PROVIDERS)).status).toBe(403);
  });

  it('serves a caller with a key whatever the Host (a page cannot hold a key it was not given)', async () => {
    expect((await post(harness.gateway.graphqlUrl, `attacker.example:${port}`, PROVIDERS, KEY)).status).toBe(200);
    expect(await connect(harness.gateway.graphqlUrl, `attacker.example:${port}`, KEY)).toBe('ack');
  });
});
