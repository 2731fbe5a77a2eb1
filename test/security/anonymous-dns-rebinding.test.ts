import { request } from 'node:http';
import { connect as connectSocket } from 'node:net';
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

/** A POST of PROVIDERS written byte for byte (two Host lines, an absolute-form target: no client library sends them); its status and body. */
function rawPost(url: string, head: string): Promise<{ status: number; text: string }> {
  const { port } = new URL(url);
  const body = JSON.stringify(PROVIDERS);
  return new Promise((resolve, reject) => {
    const socket = connectSocket(Number(port), '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }));
    socket.write(`${head}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}

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

  it('refuses, with the same 403 as the admin listener, what its strict read of the name refuses: an absolute-form target naming another site, an IPv4 address as no client writes it (two Host lines: a 400 before it)', async () => {
    const refused = [
      `POST http://attacker.example/graphql HTTP/1.1\r\nHost: 127.0.0.1:${port}`,
      `POST http://2130706433:${port}/graphql HTTP/1.1\r\nHost: 127.0.0.1:${port}`,
      `POST /graphql HTTP/1.1\r\nHost: 2130706433:${port}`,
      `POST /graphql HTTP/1.1\r\nHost: 0x7f.1:${port}`,
      `POST /graphql HTTP/1.1\r\nHost: 127.1:${port}`,
    ];
    const answers = await Promise.all(refused.map((head) => rawPost(harness.gateway.graphqlUrl, head)));
    // Each status beside its request, so a failure names every one let through.
    expect(answers.map((answer, index) => [refused[index], answer.status])).toEqual(refused.map((head) => [head, 403]));
    for (const answer of answers) {
      expect(JSON.parse(answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4))).toEqual({ errors: [{ message: ANONYMOUS_HOST_MESSAGE, extensions: { code: 'FORBIDDEN' } }] });
      expect(answer.text).not.toContain('zomro-test');
    }
    for (const head of [`POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nHost: attacker.example`, `POST /graphql HTTP/1.1\r\nHost: attacker.example\r\nHost: 127.0.0.1:${port}`]) {
      const answer = await rawPost(harness.gateway.graphqlUrl, head);
      expect(answer.status, head).toBe(400);
      expect(JSON.parse(answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4))).toEqual({ errors: [{ message: 'the host header was sent on more than one line: send it once', extensions: { code: 'BAD_USER_INPUT' } }] });
    }
    // A key is still answered at any of them: only the anonymous caller is held to the name.
    const keyed = await rawPost(harness.gateway.graphqlUrl, `POST /graphql HTTP/1.1\r\nHost: 127.1:${port}\r\nAuthorization: Bearer ${KEY}`);
    expect(keyed.status).toBe(200);
  });

  it('refuses a WebSocket sent to an IPv4 address as no client writes it with 4403', async () => {
    for (const host of [`2130706433:${port}`, `127.1:${port}`]) expect(await connect(harness.gateway.graphqlUrl, host), host).toBe(4403);
  });

  it('answers an absolute-form target naming an address, as a proxy may forward it', async () => {
    const answer = await rawPost(harness.gateway.graphqlUrl, `POST http://127.0.0.1:${port}/graphql HTTP/1.1\r\nHost: 127.0.0.1:${port}`);
    expect(answer.status).toBe(200);
  });
});
