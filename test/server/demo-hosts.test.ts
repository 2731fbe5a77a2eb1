import { connect } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawConnection } from '../helpers/ws.js';
import { NOT_A_LOOPBACK_NAME_MESSAGE } from '../../src/server/loopback-host.js';
import { ensureBuilt, shellEnv, start, type Spawned } from './process.js';

/**
 * Demo mode's anonymous admin against DNS rebinding: a site that points a name
 * of its own at 127.0.0.1 makes the browser take the gateway for that site (the
 * WebSocket origin check passes), but the Host it sends still names the site.
 */
/** A POST written byte for byte (two Host lines, an absolute-form target: no client library sends them); its status and body. */
function rawPost(url: string, head: string): Promise<{ status: number; body: string }> {
  const payload = JSON.stringify({ query: '{ providers { id } }' });
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), body: text.slice(text.indexOf('\r\n\r\n') + 4) }));
    socket.write(`${head}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\nConnection: close\r\n\r\n${payload}`);
  });
}

describe('demo mode answers requests sent to loopback names only', () => {
  let demo: Spawned;
  let graphqlUrl: string;
  beforeAll(async () => {
    ensureBuilt();
    demo = start(process.execPath, ['dist/main.js'], shellEnv({ PORT: '0' }));
    graphqlUrl = (await demo.waitFor(/GraphiQL: (http:\/\/[^\s";]+)/))[1] as string;
  }, 120_000);
  afterAll(() => demo.kill());

  const port = () => new URL(graphqlUrl).port;
  const post = (host: string) =>
    request(graphqlUrl, { method: 'POST', headers: { host, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ providers { id } }' }) });

  it('refuses HTTP sent to another name with 403 FORBIDDEN', async () => {
    for (const host of [`rebind.example:${port()}`, `127.0.0.1.rebind.example:${port()}`, `localhost.example:${port()}`]) {
      const answer = await post(host);
      expect(answer.statusCode, host).toBe(403);
      expect(await answer.body.json()).toEqual({ errors: [{ message: NOT_A_LOOPBACK_NAME_MESSAGE, extensions: { code: 'FORBIDDEN' } }] });
    }
  });

  it('answers HTTP sent to localhost or a loopback address', async () => {
    for (const host of [`127.0.0.1:${port()}`, `localhost:${port()}`, `LOCALHOST.:${port()}`, `app.localhost:${port()}`]) {
      const answer = await post(host);
      expect(answer.statusCode, host).toBe(200);
      await answer.body.dump();
    }
  });

  it('says, to a key sent to it (one left over from a config with clients), that it has none and to send none', async () => {
    const answer = await request(graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer local-admin-key-change-me' }, body: JSON.stringify({ query: '{ providers { id } }' }) });
    expect(answer.statusCode).toBe(401);
    expect(await answer.body.json()).toEqual({
      errors: [{ message: 'unknown client key: this gateway has no client keys (demo mode, or a config without clients); send no Authorization header', extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  it('refuses a WebSocket sent to another name with 4403, with the site’s own Origin (the rebinding case)', async () => {
    const host = `rebind.example:${port()}`;
    const rebound = rawConnection(graphqlUrl, undefined, { host, origin: `http://${host}` });
    expect(await rebound.acknowledged).toBe(false);
    expect((await rebound.closed).code).toBe(4403);
    const own = rawConnection(graphqlUrl, undefined, { origin: `http://127.0.0.1:${port()}` });
    expect(await own.acknowledged).toBe(true);
    own.socket.close();
  });

  it('refuses, as the admin listener does, an absolute-form target naming another site and a loopback address as no client writes it (two Host lines: a 400 before it)', async () => {
    const refused = [
      `POST http://rebind.example/graphql HTTP/1.1\r\nHost: 127.0.0.1:${port()}`,
      `POST /graphql HTTP/1.1\r\nHost: 2130706433:${port()}`,
      `POST /graphql HTTP/1.1\r\nHost: 0x7f.1:${port()}`,
      `POST /graphql HTTP/1.1\r\nHost: 127.1:${port()}`,
    ];
    const answers = await Promise.all(refused.map((head) => rawPost(graphqlUrl, head)));
    expect(answers.map((answer, index) => [refused[index], answer.status])).toEqual(refused.map((head) => [head, 403]));
    for (const answer of answers) expect(JSON.parse(answer.body)).toEqual({ errors: [{ message: NOT_A_LOOPBACK_NAME_MESSAGE, extensions: { code: 'FORBIDDEN' } }] });
    const twoHosts = await rawPost(graphqlUrl, `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1:${port()}\r\nHost: rebind.example`);
    expect(twoHosts.status).toBe(400);
    expect(JSON.parse(twoHosts.body)).toEqual({ errors: [{ message: 'the host header was sent on more than one line: send it once', extensions: { code: 'BAD_USER_INPUT' } }] });
    const rebound = rawConnection(graphqlUrl, undefined, { host: `127.1:${port()}` });
    expect((await rebound.closed).code).toBe(4403);
  });
});
