import { once } from 'node:events';
import { request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/gateway/principal.js';
import { ANONYMOUS_HOST_MESSAGE, anonymousRequestAllowed } from '../../src/server/anonymous-host.js';
import { ClientAuthenticator, anonymousPrincipal } from '../../src/server/auth.js';
import { AuthFailureGuard } from '../../src/server/auth-failure-guard.js';
import { AuthFailures } from '../../src/server/auth-failures.js';
import { clientAddressResolver } from '../../src/server/client-address.js';
import { RefusalLines } from '../../src/server/refusal-lines.js';
import { authenticateRequests } from '../../src/server/request-authentication.js';

/**
 * The key check of HTTP /graphql on a loopback server, as app.ts mounts it: the answer a client
 * gets (status, headers, body) and whether the request goes on to the handler after it, which
 * here answers the principal it was given. Every caller is 127.0.0.1.
 */
const KEY = 'k'.repeat(32);
const PER_ADDRESS = 2;
const WINDOW_MS = 60_000;
/** Far more than a loopback answer takes, even on a loaded machine. */
const ANSWER_WAIT_MS = 5_000;

/** An answer's body as JSON, or as its text when it is not JSON (express's own error page). */
function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: unknown;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A server with the key check in front of a handler that answers `{ principal }`; `allowAnonymous` as the config's. */
async function checkedServer(options: { allowAnonymous?: boolean; authenticator?: ClientAuthenticator } = {}) {
  const clock = { now: 5_000_000 };
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  const counted = { failed: 0, refused: 0 };
  const authFailures = new AuthFailureGuard(new AuthFailures({ perAddress: PER_ADDRESS, windowMs: WINDOW_MS }, () => clock.now), logger, {
    failed: () => (counted.failed += 1),
    refused: () => (counted.refused += 1),
  });
  const clients = [{ name: 'ops', key: KEY, roles: ['admin' as const] }];
  const authenticator = options.authenticator ?? new ClientAuthenticator(clients, anonymousPrincipal({ allowAnonymous: options.allowAnonymous ?? true, clients }));
  const app = express();
  app.use((_req: Request, res: Response, next) => {
    res.locals.requestId = 'request-7';
    next();
  });
  app.use(
    '/graphql',
    authenticateRequests({
      authenticator,
      authFailures,
      clientAddressOf: clientAddressResolver([]),
      anonymousAtHost: (req) => anonymousRequestAllowed(req, ['dash.example.com']),
      refusalLines: new RefusalLines(logger),
    }),
  );
  app.use('/graphql', (_req: Request, res: Response) => {
    const principal = res.locals.principal as Principal;
    res.json({ principal: principal.name, roles: [...principal.roles] });
  });
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  /** A GET of /graphql sent to `host` (the Host header), with `authorization` if given. */
  const ask = (host: string, authorization?: string): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = { host };
      if (authorization !== undefined) headers.authorization = authorization;
      const sent = request({ host: '127.0.0.1', port, path: '/graphql', headers }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: jsonOrText(text) }));
      });
      // A check that neither answers nor hands on leaves the client waiting: fail the test instead.
      sent.setTimeout(ANSWER_WAIT_MS, () => sent.destroy(new Error(`no answer within ${ANSWER_WAIT_MS} ms`)));
      sent.on('error', reject).end();
    });
  return { ask, clock, lines, counted };
}

describe('authenticateRequests: who an HTTP request to /graphql speaks for', () => {
  it('lets a request with a good key through as its client, at any name, a name not allowed for anonymous callers too', async () => {
    const { ask, lines, counted } = await checkedServer();
    for (const host of ['127.0.0.1', 'elsewhere.example.net']) {
      const answer = await ask(host, `Bearer ${KEY}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ principal: 'ops', roles: ['admin'] });
    }
    expect(counted).toEqual({ failed: 0, refused: 0 });
    expect(lines).toEqual([]);
  });

  it('lets a caller without a key through as the anonymous caller at an IP address or a name in listen.allowedHosts', async () => {
    const { ask, lines } = await checkedServer();
    for (const host of ['127.0.0.1', 'dash.example.com']) {
      const answer = await ask(host);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ principal: 'anonymous', roles: ['viewer'] });
    }
    expect(lines).toEqual([]);
  });

  it('refuses a caller without a key at another name with 403 FORBIDDEN, and logs the name (clipped to 200 characters) with the request id', async () => {
    const { ask, lines, counted } = await checkedServer();
    const answer = await ask('rebound.example.net');
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ errors: [{ message: ANONYMOUS_HOST_MESSAGE, extensions: { code: 'FORBIDDEN' } }] });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      requestId: 'request-7',
      remote: '127.0.0.1',
      host: 'rebound.example.net',
      msg: 'request refused: anonymous at a name not in listen.allowedHosts',
    });
    // Not an authentication failure: it counts toward no hold.
    expect(counted).toEqual({ failed: 0, refused: 0 });
    const longName = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example.net`;
    const other = await checkedServer();
    expect((await other.ask(longName)).status).toBe(403);
    // Cut at 200 inside the fourth label: the label is left out whole (an encoded credential's start stood there), and 7 more (scrubClipped).
    expect(other.lines[0]?.host).toBe(`${longName.slice(0, 183 - 7)}...`);
  });

  it('refuses a key that fails with 401 and its reason, asks for a Bearer key, and counts it', async () => {
    const { ask, counted } = await checkedServer();
    const answer = await ask('127.0.0.1', `Bearer ${'x'.repeat(32)}`);
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer');
    expect(answer.body).toEqual({ errors: [{ message: "unknown client key: it is none of the keys of this gateway's config (`clients`); check it for a typo", extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(counted).toEqual({ failed: 1, refused: 0 });
  });

  it('refuses a caller without a key with 401 where anonymous callers are not allowed, at any name', async () => {
    const { ask } = await checkedServer({ allowAnonymous: false });
    const answer = await ask('127.0.0.1');
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ errors: [{ message: 'an Authorization: Bearer <key> header is required', extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('holds an address back after limits.authFailures.perAddress failures: 429 with Retry-After, its good key not looked at', async () => {
    const { ask, clock, counted } = await checkedServer();
    for (let n = 0; n < PER_ADDRESS; n++) expect((await ask('127.0.0.1', 'Bearer wrong-key')).status).toBe(401);
    clock.now += 15_000;
    const answer = await ask('127.0.0.1', `Bearer ${KEY}`);
    expect(answer.status).toBe(429);
    expect(answer.headers['retry-after']).toBe('45');
    expect(answer.body).toEqual({
      errors: [
        {
          message: 'too many failed authentications from this address; retry after 45 s (limits.authFailures)',
          extensions: { code: 'QUERY_TOO_COMPLEX', retryAfterSeconds: 45 },
        },
      ],
    });
    expect(counted).toEqual({ failed: PER_ADDRESS, refused: 1 });
    // Once the window has ended the good key is let through again.
    clock.now += 45_000;
    expect((await ask('127.0.0.1', `Bearer ${KEY}`)).body).toEqual({ principal: 'ops', roles: ['admin'] });
  });

  it("answers a failure of the check that is not the gateway's own as 401 'authentication failed', its words not sent, and counts it", async () => {
    class FailingAuthenticator extends ClientAuthenticator {
      override authenticate(): Principal {
        throw new TypeError('internal detail: digest of /etc/backup-graph/keys failed');
      }
    }
    const { ask, counted } = await checkedServer({ authenticator: new FailingAuthenticator([], null) });
    const answer = await ask('127.0.0.1', `Bearer ${KEY}`);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ errors: [{ message: 'authentication failed', extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(counted.failed).toBe(1);
  });
});
