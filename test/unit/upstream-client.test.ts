import { getEventListeners } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { UpstreamClient, mayRetry, type UpstreamRequest } from '../../src/upstream/client.js';
import { UpstreamCancelledError } from '../../src/upstream/deadline.js';
import { UPSTREAM_DEFAULTS, type UpstreamPolicyOptions } from '../../src/upstream/defaults.js';
import type { UpstreamObserver } from '../../src/upstream/observer.js';
import { breakerClock, realClock } from '../helpers/breaker-clock.js';

/**
 * The upstream client is where every provider answer becomes a value or a
 * typed error. A scripted provider on loopback answers each request as the
 * test says; the test reads what the client made of it, and what it sent.
 */
/** Far longer than the test: the half-open test comes only when breakerClock() moves past it. */
const HALF_OPEN_AFTER_MS = 600_000;

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const seen: Seen[] = [];
let handler: Handler = (_request, response) => response.end();
const server = createServer((request, response) => {
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => (body += chunk));
  request.on('end', () => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
    handler(request, response, body);
  });
});
let origin = '';
const clients: UpstreamClient[] = [];

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  seen.length = 0;
  realClock();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

interface Finished {
  operation: string;
  outcome: string;
  seconds: number;
}

/** A pino logger whose lines the test reads. */
function capturedLogger(level = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

function clientWith(policy: Partial<UpstreamPolicyOptions> = {}, basePath = '/api/v1/', options: { logger?: pino.Logger; coalesceReads?: boolean } = {}) {
  const finished: Finished[] = [];
  const breakerStates: Array<{ provider: string; state: string }> = [];
  const coalesced: string[] = [];
  const observer: UpstreamObserver = {
    requestFinished: ({ operation, outcome, seconds }) => finished.push({ operation, outcome, seconds }),
    breakerStateChanged: (event) => breakerStates.push(event),
    readCoalesced: ({ provider, kind, operation }) => coalesced.push(`${provider}/${kind}/${operation}`),
  };
  const client = new UpstreamClient({
    providerId: 'acct',
    kind: 'test',
    baseUrl: origin + basePath,
    // Retries without waiting: the backoff's own timing is the policy tests' business.
    policy: { ...UPSTREAM_DEFAULTS, retries: 0, retryBaseDelayMs: 1, retryMaxDelayMs: 1, ...policy },
    logger: options.logger ?? pino({ level: 'silent' }),
    observer,
    coalesceReads: options.coalesceReads ?? false,
  });
  clients.push(client);
  return { client, finished, breakerStates, coalesced };
}

const get = (path: string, extra: Partial<UpstreamRequest> = {}): UpstreamRequest => ({ method: 'GET', path, operation: 'test.read', scope: { requestId: 'req-1' }, ...extra });

const json = (status: number, value: unknown, headers: Record<string, string> = {}): Handler => (_request, response) => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value));
};

const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a rejection'); }, (error: unknown) => error as GatewayError);

describe('UpstreamClient: what it sends', () => {
  it('sends the path below the account base URL, the defined query values as text, the request id and accept headers', async () => {
    const { client } = clientWith();
    handler = json(200, {});
    await client.request(get('/vms/7', { query: { page: 2, active: true, name: 'a b', skipped: undefined }, headers: { 'x-extra': 'yes' } }));
    const [request] = seen;
    expect(request?.url).toBe('/api/v1/vms/7?page=2&active=true&name=a%20b');
    expect(request?.headers['x-request-id']).toBe('req-1');
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers['x-extra']).toBe('yes');
  });

  it('sends no request id for work no client request caused, and the body of a write as given', async () => {
    const { client } = clientWith();
    handler = json(200, { ok: true });
    await client.request({ method: 'POST', path: '/vms', body: '{"name":"n"}', headers: { 'content-type': 'application/json' }, operation: 'vm.create', scope: { requestId: undefined } });
    expect(seen[0]?.headers['x-request-id']).toBeUndefined();
    expect(seen[0]?.body).toBe('{"name":"n"}');
    expect(seen[0]?.method).toBe('POST');
  });

  it('joins the request path to a base URL however many slashes end it', async () => {
    const { client } = clientWith({}, '/api/v2//');
    handler = json(200, {});
    await client.request(get('/vms'));
    expect(seen[0]?.url).toBe('/api/v2/vms');
  });

  it('sends to the base URL itself when the base has no path and the request path is empty', async () => {
    const { client } = clientWith({}, '');
    handler = json(200, {});
    await client.request(get(''));
    expect(seen[0]?.url).toBe('/');
  });

  it.each([
    ['a dot-dot segment', '/vms/../admin'],
    ['an encoded dot-dot segment', '/vms/%2e%2E/admin'],
    ['an encoded dot segment', '/vms/%2E'],
    ['an encoded slash', '/vms/a%2Fb'],
    ['an encoded question mark', '/vms/a%3Fb'],
    ['an encoded hash', '/vms/a%23b'],
    ['an encoded backslash', '/vms/a%5Cb'],
  ])('refuses a path with %s before sending anything', async (_what, path) => {
    const { client } = clientWith();
    const error = await failure(client.request(get(path)));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toBe('an id contains a path segment that is not allowed');
    expect(seen).toEqual([]);
  });

  it('refuses a path with a malformed escape, and allows encoded text that stays inside its segment', async () => {
    const { client } = clientWith();
    const error = await failure(client.request(get('/vms/%E0%A4%A')));
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toBe('an id contains an invalid character sequence');
    handler = json(200, { ok: 1 });
    // Only the path is checked: a query may hold what a segment may not.
    expect((await client.request(get('/vms/caf%C3%A9.x?next=../a'))).body).toEqual({ ok: 1 });
  });
});

describe('UpstreamClient: what it makes of an answer', () => {
  it('parses a JSON answer and reports it as ok', async () => {
    const { client, finished } = clientWith();
    handler = json(200, { vms: [1, 2] });
    const answer = await client.request(get('/vms'));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ vms: [1, 2] });
    expect(finished).toEqual([expect.objectContaining({ operation: 'test.read', outcome: 'ok' })]);
    expect(finished[0]?.seconds).toBeGreaterThan(0);
    expect(finished[0]?.seconds).toBeLessThan(10);
  });

  it('reads an answer that arrives in many chunks', async () => {
    const { client } = clientWith();
    const items = Array.from({ length: 5_000 }, (_, index) => ({ index, text: 'x'.repeat(20) }));
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const text = JSON.stringify(items);
      for (let start = 0; start < text.length; start += 1_000) response.write(text.slice(start, start + 1_000));
      response.end();
    };
    expect((await client.request(get('/big'))).body).toEqual(items);
  });

  it('answers null for an empty or blank body', async () => {
    const { client } = clientWith();
    handler = (_request, response) => response.writeHead(204).end();
    expect((await client.request(get('/empty'))).body).toBeNull();
    handler = (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(' \n ');
    expect((await client.request(get('/blank'))).body).toBeNull();
  });

  it('hands a 4xx back to the adapter with its JSON body, or null for an error page, and reports the status', async () => {
    const { client, finished } = clientWith();
    handler = json(404, { error: 'no such vm' });
    const missing = await client.request(get('/vms/9'));
    expect(missing).toMatchObject({ status: 404, body: { error: 'no such vm' } });
    handler = (_request, response) => response.writeHead(403, { 'content-type': 'text/html' }).end('<h1>Forbidden</h1>');
    expect((await client.request(get('/vms/10'))).body).toBeNull();
    handler = (_request, response) => response.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
    expect((await client.request(get('/vms/11'))).body).toBeNull();
    expect(finished.map((event) => event.outcome)).toEqual(['http_404', 'http_403', 'http_400']);
  });

  it('refuses a 2xx that is not JSON, and one whose JSON is malformed, as PROVIDER_ERROR', async () => {
    const { client, finished } = clientWith();
    handler = (_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
    const notJson = await failure(client.request(get('/vms')));
    expect(notJson).toBeInstanceOf(GatewayError);
    expect(notJson.code).toBe('PROVIDER_ERROR');
    expect(notJson.message).toBe('provider acct sent an answer that is not JSON');
    expect(notJson.details).toEqual({ provider: 'acct', providerCode: 'INVALID_RESPONSE' });
    // Only an answer that says it is JSON is parsed as JSON: a login page's text is no answer, whatever it holds.
    handler = (_request, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('{"vms": []}');
    expect((await failure(client.request(get('/vms')))).message).toBe('provider acct sent an answer that is not JSON');
    handler = (_request, response) => response.writeHead(200, { 'content-type': 'Application/JSON; charset=utf-8' }).end('{"vms": [');
    const malformed = await failure(client.request(get('/vms')));
    expect(malformed.message).toBe('provider acct sent malformed JSON');
    expect(finished.map((event) => event.outcome)).toEqual(['PROVIDER_ERROR', 'PROVIDER_ERROR', 'PROVIDER_ERROR']);
  });

  it('refuses any 3xx as PROVIDER_ERROR saying the provider redirected, without following it, retrying it or showing its Location', async () => {
    const { client, finished } = clientWith({ retries: 2 });
    handler = (_request, response) => response.writeHead(301, { location: 'https://ops:hunter2-secret@internal.example/api/v1/vms' }).end();
    const moved = await failure(client.request(get('/vms')));
    expect(moved.code).toBe('PROVIDER_ERROR');
    expect(moved.message).toBe("provider acct redirected the request (HTTP 301) and redirects are not followed: check the account's url (it may need https)");
    expect(moved.details).toEqual({ provider: 'acct', providerCode: 'HTTP_301' });
    expect(seen).toHaveLength(1);
    // A body that reads like an empty list is no answer either, and a write is refused alike.
    handler = (_request, response) => response.writeHead(302, { 'content-type': 'application/json', location: '/elsewhere' }).end('[]');
    expect((await failure(client.request(get('/vms')))).details.providerCode).toBe('HTTP_302');
    handler = (_request, response) => response.writeHead(307).end();
    expect((await failure(client.request({ method: 'POST', path: '/vms', operation: 'vm.create', scope: { requestId: 'w' } }))).details.providerCode).toBe('HTTP_307');
    expect(JSON.stringify(moved)).not.toContain('hunter2');
    expect(finished.map((event) => event.outcome)).toEqual(['PROVIDER_ERROR', 'PROVIDER_ERROR', 'PROVIDER_ERROR']);
  });

  it('counts a redirect against health (cause redirect) without opening the breaker, until a call succeeds', async () => {
    const { client } = clientWith({ retries: 0, breakerThreshold: 1 });
    expect(client.healthReport()).toEqual({ health: 'UP', cause: null });
    handler = (_request, response) => response.writeHead(301, { location: 'https://elsewhere/' }).end();
    await failure(client.request(get('/vms')));
    await failure(client.request(get('/vms')));
    expect(client.healthReport()).toEqual({ health: 'DEGRADED', cause: 'redirect' });
    expect(client.breakerState()).toBe('closed');
    // A provider error that is an answer (a 404) says nothing about the account's health.
    handler = json(404, { error: 'no such vm' });
    await client.request(get('/vms/9')).catch(() => undefined);
    expect(client.healthReport()).toEqual({ health: 'UP', cause: null });
  });

  it('refuses an answer larger than the limit without keeping it', async () => {
    const { client } = clientWith({ maxResponseBytes: 1_000 });
    handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ text: 'y'.repeat(5_000) }));
    };
    const error = await failure(client.request(get('/huge')));
    expect(error.code).toBe('PROVIDER_ERROR');
    expect(error.message).toBe('provider acct sent an answer that is too large');
    expect(error.details).toEqual({ provider: 'acct', providerCode: 'RESPONSE_TOO_LARGE' });
    // Exactly at the limit is fine.
    handler = (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(`"${'z'.repeat(998)}"`);
    expect(((await client.request(get('/edge'))).body as string).length).toBe(998);
  });

  it('scrubs the account secrets from an answer before parsing it', async () => {
    const { client } = clientWith();
    client.secrets.add('s3cret-token');
    handler = json(200, { note: 'your token is s3cret-token', nested: { again: 's3cret-token' } });
    const body = JSON.stringify((await client.request(get('/whoami'))).body);
    expect(body).not.toContain('s3cret-token');
  });

  it('scrubs a secret the provider quoted back in \\u escapes (Rails escapes <, > and &), in the parsed answer', async () => {
    const { client } = clientWith();
    client.secrets.add('Pa<ss>&word-91c4e2');
    handler = (_request, response) => response.writeHead(422, { 'content-type': 'application/json' }).end('{"errors":{"base":["API key Pa\\u003css\\u003e\\u0026word-91c4e2 is invalid"]}}');
    const answer = await client.request(get('/whoami'));
    expect(answer.body).toEqual({ errors: { base: ['API key [redacted] is invalid'] } });
  });

  it('scrubs a password a 422 quotes as PHP, Python, .NET and HTML templates write it, and the user:password pair PHP-encoded', async () => {
    const { client } = clientWith();
    client.secrets.add("Ev1l*Key~(x)!'9");
    client.secrets.add("ops@example.com:Ev1l*Key~(x)!'9");
    const quotes = ['Ev1l%2AKey~%28x%29%21%279', 'Ev1l%2AKey%7E%28x%29%21%279', 'Ev1l%2aKey~%28x%29%21%279', 'Ev1l*Key~(x)!&#39;9', 'Ev1l*Key~(x)!&#x27;9', 'ops%40example.com%3AEv1l%2AKey%7E%28x%29%21%279'];
    handler = (_request, response) => response.writeHead(422, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: quotes.map((quote) => `password ${quote} rejected`), next: '/vms?page=2&amp;size=%7e' }));
    const answer = await client.request(get('/whoami'));
    expect(answer.body).toEqual({ errors: quotes.map(() => 'password [redacted] rejected'), next: '/vms?page=2&amp;size=%7e' });
  });
});

describe('UpstreamClient: provider failures', () => {
  it('retries a read that met a 5xx, and reports PROVIDER_UNAVAILABLE once the attempts are spent', async () => {
    const { client, finished } = clientWith({ retries: 2 });
    handler = json(503, { error: 'maintenance' });
    const error = await failure(client.request(get('/vms')));
    expect(seen).toHaveLength(3);
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(error.message).toBe('provider acct answered HTTP 503');
    expect(error.details).toEqual({ provider: 'acct' });
    expect(finished.map((event) => event.outcome)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(client.healthReport()).toMatchObject({ health: 'DEGRADED', cause: 'http_5xx' });
  });

  it('counts a 429 against health as rate limiting, not as an outage', async () => {
    const { client } = clientWith();
    handler = json(429, {});
    await failure(client.request(get('/vms')));
    expect(client.healthReport()).toMatchObject({ health: 'DEGRADED', cause: 'rate_limited' });
  });

  it('gets the answer of a retried read once the provider recovers', async () => {
    const { client } = clientWith({ retries: 1 });
    let calls = 0;
    handler = (request, response, body) => (++calls === 1 ? json(502, {})(request, response, body) : json(200, { up: true })(request, response, body));
    expect((await client.request(get('/vms'))).body).toEqual({ up: true });
    expect(seen).toHaveLength(2);
  });

  it('never sends a write twice', async () => {
    const { client } = clientWith({ retries: 2 });
    handler = json(500, {});
    const error = await failure(client.request({ method: 'DELETE', path: '/vms/1/backups/2', operation: 'backup.delete', scope: { requestId: 'w' } }));
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(seen).toHaveLength(1);
  });

  it('reads a 429 as rate limiting, with the Retry-After in seconds or as a date', async () => {
    const { client } = clientWith();
    handler = json(429, {}, { 'retry-after': '7' });
    const inSeconds = await failure(client.request(get('/vms')));
    expect(inSeconds.code).toBe('PROVIDER_UNAVAILABLE');
    expect(inSeconds.message).toBe('provider acct is rate limiting requests');
    expect(inSeconds.details).toEqual({ provider: 'acct', retryAfterSeconds: 7 });

    handler = json(429, {}, { 'retry-after': new Date(Date.now() + 60_000).toUTCString() });
    const asDate = await failure(client.request(get('/vms')));
    expect(asDate.details.retryAfterSeconds).toBeGreaterThan(50);
    expect(asDate.details.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(Number.isInteger(asDate.details.retryAfterSeconds)).toBe(true);

    handler = json(429, {}, { 'retry-after': new Date(Date.now() - 60_000).toUTCString() });
    expect((await failure(client.request(get('/vms')))).details.retryAfterSeconds).toBe(0);

    handler = json(429, {}, { 'retry-after': '0' });
    expect((await failure(client.request(get('/vms')))).details.retryAfterSeconds).toBe(0);
    // A negative number is no delay in seconds, nor a date: it says nothing.
    handler = json(429, {}, { 'retry-after': '-5' });
    expect((await failure(client.request(get('/vms')))).details).toEqual({ provider: 'acct' });
    // Whole seconds, at most a day, whatever the provider asks (a client of its own: five 429s opened the breaker).
    const { client: patient } = clientWith();
    handler = json(429, {}, { 'retry-after': '1e300' });
    expect((await failure(patient.request(get('/vms')))).details.retryAfterSeconds).toBe(86_400);

    // Another client again: `client`'s breaker is open by now, and an open breaker's refusal says when it lets a request through.
    const { client: fresh } = clientWith();
    handler = json(429, {}, { 'retry-after': 'soon' });
    expect((await failure(fresh.request(get('/vms')))).details).toEqual({ provider: 'acct' });
    handler = json(429, {});
    expect((await failure(fresh.request(get('/vms')))).details).toEqual({ provider: 'acct' });
  });

  it('hands back the 5xx statuses and the failure bodies an adapter interprets itself', async () => {
    const { client } = clientWith({ retries: 2 });
    handler = json(503, { error: { code: 'SYS.1001' } });
    const passed = await client.request(get('/jobs/1', { passStatuses: [503] }));
    expect(passed).toMatchObject({ status: 503, body: { error: { code: 'SYS.1001' } } });
    const recognised = await client.request(get('/jobs/2', { passErrorBody: (status, body) => status === 503 && JSON.stringify(body).includes('SYS.1001') }));
    expect(recognised.status).toBe(503);
    expect(seen).toHaveLength(2);
    // Another 5xx, or a body the adapter does not recognise, is still an outage.
    handler = json(500, { error: { code: 'SYS.1001' } });
    expect((await failure(client.request(get('/jobs/3', { passStatuses: [503] })))).code).toBe('PROVIDER_UNAVAILABLE');
    handler = json(503, { other: true });
    expect((await failure(client.request(get('/jobs/4', { passErrorBody: (_status, body) => JSON.stringify(body).includes('SYS.1001') })))).code).toBe('PROVIDER_UNAVAILABLE');
  });

  it('gives up on an attempt that takes longer than its deadline, as PROVIDER_TIMEOUT', async () => {
    const { client, finished } = clientWith({ timeoutMs: 150 });
    const held: ServerResponse[] = [];
    handler = (_request, response) => {
      // Headers at once, then a trickle that never ends: only a deadline over the whole answer stops it.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('[');
      held.push(response);
    };
    const error = await failure(client.request(get('/slow')));
    expect(error.code).toBe('PROVIDER_TIMEOUT');
    expect(error.message).toBe('provider acct did not answer in time');
    expect(error.details).toEqual({ provider: 'acct' });
    expect(client.healthReport().cause).toBe('timeout');
    expect(finished.map((event) => event.outcome)).toEqual(['PROVIDER_TIMEOUT']);
    for (const response of held) response.destroy();
  });

  it('reports an unreachable provider as PROVIDER_UNAVAILABLE, naming the account and not its address', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const client = new UpstreamClient({ providerId: 'gone', kind: 'test', baseUrl: `http://127.0.0.1:${port}`, policy: { ...UPSTREAM_DEFAULTS, retries: 0 }, logger: pino({ level: 'silent' }) });
    clients.push(client);
    const error = await failure(client.request(get('/vms')));
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    // The next step is in the message: a newcomer's wrong port in `url` reads this and nothing else.
    expect(error.message).toBe("provider gone is unreachable: a refused connection or a host name that does not resolve (which one: the gateway's log, its admin /readyz); if it never answered, check the account's url and port in the config");
    expect(error.message).not.toMatch(/127\.0\.0\.1|:\d{2,5}\b/);
    expect(error.details).toEqual({ provider: 'gone' });
    expect(client.healthReport().cause).toBe('refused');
  });

  it('cancels a read whose client left, as its own error, and sends it no more', async () => {
    const { client, finished } = clientWith({ retries: 2 });
    const held: ServerResponse[] = [];
    let arrived: () => void = () => {};
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    handler = (_request, response) => {
      held.push(response);
      arrived();
    };
    const request = new AbortController();
    const reading = failure(client.request(get('/vms', { scope: { requestId: 'c', signal: request.signal } })));
    await arrival;
    request.abort();
    const error = await reading;
    expect(error).toBeInstanceOf(UpstreamCancelledError);
    expect(error.message).toBe('the request ended before provider acct answered');
    expect(error.details).toEqual({ provider: 'acct' });
    expect(finished.map((event) => event.outcome)).toEqual(['cancelled']);
    expect(seen).toHaveLength(1);
    for (const response of held) response.destroy();
  });

  it('opens the breaker after consecutive failures and then refuses at once, without calling the provider', async () => {
    const { logger, lines } = capturedLogger();
    const { client, breakerStates } = clientWith({ breakerThreshold: 2, breakerHalfOpenAfterMs: 60_000 }, '/api/v1/', { logger });
    handler = json(500, {});
    await failure(client.request(get('/a')));
    await failure(client.request(get('/b')));
    expect(client.breakerState()).toBe('open');
    const refused = await failure(client.request(get('/c')));
    expect(refused.code).toBe('PROVIDER_UNAVAILABLE');
    expect(refused.message).toBe('provider acct is unavailable (circuit open)');
    expect(seen).toHaveLength(2);
    expect(client.health()).toBe('DOWN');
    expect(breakerStates).toEqual([{ provider: 'acct', state: 'open' }]);
    const logged = lines.map(({ level, msg, provider, breaker, health, cause }) => ({ level, msg, provider, breaker, health, cause }));
    // pino's levels: 30 info, 40 warn. Health lines name the cause's class only, never an error's text.
    expect(logged).toEqual([
      { level: 40, msg: 'provider health changed', provider: 'acct', breaker: undefined, health: 'DEGRADED', cause: 'http_5xx' },
      { level: 40, msg: 'provider health changed', provider: 'acct', breaker: undefined, health: 'DOWN', cause: 'http_5xx' },
      { level: 40, msg: 'upstream circuit breaker changed state', provider: 'acct', breaker: 'open', health: undefined, cause: undefined },
    ]);
  });

  it('runs the half-open test to its end when its client leaves: the breaker opens again while the provider is still down', async () => {
    const clock = breakerClock();
    const { client } = clientWith({ breakerThreshold: 1, breakerHalfOpenAfterMs: HALF_OPEN_AFTER_MS, timeoutMs: 5_000 });
    handler = json(503, {});
    await failure(client.request(get('/a')));
    expect(client.breakerState()).toBe('open');
    clock.pass(HALF_OPEN_AFTER_MS);
    const held: ServerResponse[] = [];
    handler = (_request, response) => held.push(response);
    const leaving = new AbortController();
    const test = client.request(get('/b', { scope: { requestId: 'probe', signal: leaving.signal } }));
    while (held.length === 0) await new Promise((resolve) => setImmediate(resolve));
    expect(client.breakerState()).toBe('half-open');
    leaving.abort();
    held[0]!.writeHead(503, { 'content-type': 'application/json' }).end('{}');
    expect((await failure(test)).code).toBe('PROVIDER_UNAVAILABLE');
    expect(client.breakerState()).toBe('open');
  });

  it('lets a client leave an ordinary read again once the half-open test is over', async () => {
    const clock = breakerClock();
    const { client, finished } = clientWith({ breakerThreshold: 1, breakerHalfOpenAfterMs: HALF_OPEN_AFTER_MS });
    handler = json(503, {});
    await failure(client.request(get('/a')));
    expect(client.breakerState()).toBe('open');
    clock.pass(HALF_OPEN_AFTER_MS);
    handler = json(200, {});
    await client.request(get('/test'));
    expect(client.breakerState()).toBe('closed');
    const held: ServerResponse[] = [];
    handler = (_request, response) => held.push(response);
    const leaving = new AbortController();
    const read = client.request(get('/b', { scope: { requestId: 'gone', signal: leaving.signal } }));
    while (held.length === 0) await new Promise((resolve) => setImmediate(resolve));
    leaving.abort();
    held[0]!.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    await failure(read);
    expect(finished.at(-1)?.outcome).toBe('cancelled');
  });

  it('forgetFlights: a read after it gets its own upstream request, not the one in flight', async () => {
    const { client } = clientWith({}, '/api/v1/', { coalesceReads: true });
    const held: ServerResponse[] = [];
    handler = (_request, response) => held.push(response);
    const before = client.request(get('/vms'));
    while (held.length === 0) await new Promise((resolve) => setImmediate(resolve));
    client.forgetFlights();
    const after = client.request(get('/vms'));
    while (held.length < 2) await new Promise((resolve) => setImmediate(resolve));
    held[0]!.writeHead(200, { 'content-type': 'application/json' }).end('{"state":"creating"}');
    held[1]!.writeHead(200, { 'content-type': 'application/json' }).end('{"state":"ready"}');
    expect((await before).body).toEqual({ state: 'creating' });
    expect((await after).body).toEqual({ state: 'ready' });
  });

  it('logs a recovery as info', async () => {
    const { logger, lines } = capturedLogger();
    const { client } = clientWith({}, '/api/v1/', { logger });
    handler = json(500, {});
    await failure(client.request(get('/a')));
    handler = json(200, {});
    await client.request(get('/b'));
    expect(lines.at(-1)).toMatchObject({ level: 30, msg: 'provider health changed', provider: 'acct', health: 'UP' });
  });

  it('lets go of the request signal and the deadline once an attempt is over', async () => {
    const { client } = clientWith({ timeoutMs: 100 });
    handler = json(200, {});
    const request = new AbortController();
    await client.request(get('/vms', { scope: { requestId: 'd', signal: request.signal } }));
    expect(getEventListeners(request.signal, 'abort')).toHaveLength(0);
  });

  it('logs each request, each failed attempt and each wait for a slot at debug level, with the request id', async () => {
    const { logger, lines } = capturedLogger('debug');
    const { client } = clientWith({ retries: 1, maxConcurrency: 1 }, '/api/v1/', { logger });
    let calls = 0;
    handler = (request, response, body) => {
      calls += 1;
      if (calls === 1) return json(503, {})(request, response, body);
      // The second request's answer takes a while: its line's duration shows it.
      if (request.url?.endsWith('/second')) return void setTimeout(() => json(200, {})(request, response, body), 200);
      json(200, {})(request, response, body);
    };
    const before = performance.now();
    await Promise.all([client.request(get('/first', { scope: { requestId: 'one' } })), client.request(get('/second', { scope: { requestId: 'two' } }))]);
    const enclosingMs = performance.now() - before;
    const debug = lines.filter((line) => line.level === 20).map(({ msg, requestId, cause, outcome, waiting }) => ({ msg, requestId, cause, outcome, waiting }));
    // The second request waits for the only slot; then the first one's retry waits while the second holds it.
    expect(debug.filter((line) => line.msg === 'upstream request waits for a slot')).toEqual([
      { msg: 'upstream request waits for a slot', requestId: 'two', waiting: 1, cause: undefined, outcome: undefined },
      { msg: 'upstream request waits for a slot', requestId: 'one', waiting: 1, cause: undefined, outcome: undefined },
    ]);
    expect(debug).toContainEqual({ msg: 'upstream attempt failed', requestId: 'one', cause: 'http_5xx', outcome: undefined, waiting: undefined });
    // One line per request, whichever finishes first (the first one waits out a backoff).
    const finishedLines = debug.filter((line) => line.msg === 'upstream request');
    expect(finishedLines.sort((a, b) => String(a.requestId).localeCompare(String(b.requestId)))).toEqual([
      { msg: 'upstream request', requestId: 'one', outcome: 'ok', cause: undefined, waiting: undefined },
      { msg: 'upstream request', requestId: 'two', outcome: 'ok', cause: undefined, waiting: undefined },
    ]);
    const timed = lines.find((line) => line.msg === 'upstream request' && line.requestId === 'two');
    expect(timed?.ms).toBeGreaterThanOrEqual(150);
    // Milliseconds of this request, not a bound on speed: it lies within the time the test waited for it (a duration in
    // microseconds, or a clock reading, would not).
    expect(timed?.ms).toBeLessThanOrEqual(Math.ceil(enclosingMs));
    expect(timed?.provider).toBe('acct');
    // No line carries the path or the answer.
    expect(JSON.stringify(lines)).not.toContain('/first');
  });

  it('refuses requests once closed', async () => {
    const { client } = clientWith();
    clients.splice(clients.indexOf(client), 1);
    await client.close();
    expect((await failure(client.request(get('/vms')))).code).toBe('PROVIDER_UNAVAILABLE');
  });
});

describe('UpstreamClient: coalesced reads (on by default)', () => {
  it('coalesces without an observer to tell', async () => {
    const client = new UpstreamClient({ providerId: 'quiet', kind: 'test', baseUrl: origin, policy: UPSTREAM_DEFAULTS, logger: pino({ level: 'silent' }) });
    clients.push(client);
    handler = json(200, { ok: true });
    const [first, second] = await Promise.all([client.request(get('/same')), client.request(get('/same'))]);
    expect(second).toBe(first);
  });

  it('sends identical reads in flight once, counts the ones that joined, and never coalesces writes', async () => {
    const { client, coalesced } = clientWith({}, '/api/v1/', { coalesceReads: true });
    const held: ServerResponse[] = [];
    let arrivals = 0;
    let arrived: () => void = () => {};
    handler = (_request, response) => {
      held.push(response);
      arrivals += 1;
      arrived();
    };
    const first = new Promise<void>((resolve) => (arrived = resolve));
    const reads = [client.request(get('/vms')), client.request(get('/vms')), client.request(get('/vms'))];
    await first;
    for (const response of held) response.writeHead(200, { 'content-type': 'application/json' }).end('{"vms":[]}');
    const answers = await Promise.all(reads);
    expect(answers[1]).toBe(answers[0]);
    expect(arrivals).toBe(1);
    expect(coalesced).toEqual(['acct/test/test.read', 'acct/test/test.read']);

    handler = json(200, {});
    const write = (): UpstreamRequest => ({ method: 'POST', path: '/vms', body: '{}', operation: 'vm.create', scope: { requestId: 'w' } });
    await Promise.all([client.request(write()), client.request(write())]);
    // A read sent with PUT (marked idempotent) is retried but never shared.
    const put = (): UpstreamRequest => ({ method: 'PUT', path: '/vms/1/query', idempotent: true, operation: 'vm.query', scope: { requestId: 'p' } });
    await Promise.all([client.request(put()), client.request(put())]);
    expect(seen.filter((request) => request.method !== 'GET')).toHaveLength(4);
  });
});

describe('mayRetry', () => {
  it('is true for a GET or a request marked idempotent, false for other writes or a GET marked otherwise', () => {
    expect(mayRetry({ method: 'GET' })).toBe(true);
    expect(mayRetry({ method: 'POST' })).toBe(false);
    expect(mayRetry({ method: 'POST', idempotent: true })).toBe(true);
    expect(mayRetry({ method: 'GET', idempotent: false })).toBe(false);
  });
});
