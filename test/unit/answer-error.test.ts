import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { pino } from 'pino';
import { Client, request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { answerErrorsAsJson, errorAnswerer } from '../../src/server/answer-error.js';

/** A credential as a fault's text might carry it: none of it may reach the client. */
const SECRET = 'zomro-api-key-7f3a9c0e5b2d4186';
const INTERNAL = { errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] };

const withStatus = (status: number, message: string): Error => Object.assign(new Error(message), { status });

/** A fault of the gateway's own code, its message and stack holding a credential. */
function faultHoldingSecret(status?: number): Error {
  const error = new Error(`upstream login failed with password=${SECRET}`);
  error.stack = `Error: upstream login failed with password=${SECRET}\n    at login (/srv/backup-graph/${SECRET}/adapter.js:10:5)`;
  return status === undefined ? error : Object.assign(error, { status });
}

/** What each route passes to express's next(), as the gateway's middleware would. */
const THROWN: Record<string, unknown> = {
  'too-large': Object.assign(withStatus(413, 'request entity too large'), { type: 'entity.too.large', limit: 4096 }),
  'not-json': Object.assign(withStatus(400, `Unexpected token in JSON ${SECRET}`), { type: 'entity.parse.failed', body: '{"query": ' }),
  '499': withStatus(499, `client closed ${SECRET}`),
  '500': faultHoldingSecret(500),
  '503': faultHoldingSecret(503),
  '600': faultHoldingSecret(600),
  'no-status': faultHoldingSecret(),
  'cache-fault': new Error('the cache index was undefined'),
  'a-string': `a bare string thrown, holding ${SECRET}`,
  'an-object': { status: 502, message: `no Error at all: ${SECRET}` },
};

/**
 * The gateway's error handler (answerErrorsAsJson over errorAnswerer, as app.ts mounts it) behind
 * routes that pass it each kind of error, over loopback. A 5xx reaches it only from a fault in the
 * gateway's own middleware, which no HTTP test of the gateway can cause, so these plant them.
 */
describe('the error handler', () => {
  let server: Server;
  let origin: string;
  let connections = 0;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const app = express();
    app.get('/throw/:name', (req: Request, _res: Response, next: NextFunction) => next(THROWN[String(req.params.name)]));
    // A fault after the answer went out whole (the chunked body refused at the limit is one).
    app.get('/answered-then-fault', (_req: Request, res: Response, next: NextFunction) => {
      res.json({ data: 'answered' });
      next(faultHoldingSecret(500));
    });
    // The client's mistake found after the answer went out: still the client's, still unlogged.
    app.get('/answered-then-client-fault', (_req: Request, res: Response, next: NextFunction) => {
      res.json({ data: 'answered' });
      next(THROWN['too-large']);
    });
    app.use(answerErrorsAsJson(errorAnswerer(logger)));
    server = app.listen(0, '127.0.0.1');
    server.on('connection', () => void connections++);
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    lines.length = 0;
  });

  const answerTo = async (name: string): Promise<{ status: number; type: string | undefined; text: string }> => {
    const answer = await request(`${origin}/throw/${name}`);
    const type = answer.headers['content-type'];
    return { status: answer.statusCode, type: typeof type === 'string' ? type : undefined, text: await answer.body.text() };
  };
  const failedLines = (): Record<string, unknown>[] => lines.filter((line) => line.msg === 'request failed');

  it('answers a 4xx with its status and words the client can act on, as JSON, and logs nothing', async () => {
    const tooLarge = await answerTo('too-large');
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.type).toMatch(/^application\/json/);
    expect(JSON.parse(tooLarge.text)).toEqual({ errors: [{ message: 'request body too large (over 4096 bytes, limits.bodyLimitBytes)', extensions: { code: 'BAD_USER_INPUT' } }] });
    const notJson = await answerTo('not-json');
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.text)).toEqual({
      errors: [{ message: 'the request body is not valid JSON: send {"query": "..."} (and "variables", "operationName" if any) as one JSON object', extensions: { code: 'BAD_USER_INPUT' } }],
    });
    // The parser's own message is not the client's to read back (it quotes the body).
    expect(notJson.text).not.toContain(SECRET);
    expect(lines).toEqual([]);
  });

  it('answers a 5xx "internal error" alone: no error text, no stack, no credential', async () => {
    for (const name of ['500', '503', 'no-status']) {
      const answer = await answerTo(name);
      expect(JSON.parse(answer.text), name).toEqual(INTERNAL);
      expect(answer.type, name).toMatch(/^application\/json/);
      for (const leak of [SECRET, 'upstream login', 'password', '/srv/', 'adapter.js', '    at ']) expect(answer.text, `${name}: ${leak}`).not.toContain(leak);
    }
  });

  it('logs a 5xx at error as "request failed", carrying the error for the operator', async () => {
    const answer = await answerTo('cache-fault');
    expect(answer.status).toBe(500);
    expect(failedLines()).toHaveLength(1);
    expect(failedLines()[0]).toMatchObject({ level: 50, err: { type: 'Error', message: 'the cache index was undefined' } });
    expect((failedLines()[0]?.err as { stack?: unknown }).stack).toMatch(/^Error: the cache index was undefined\n/);
  });

  it('draws the line at 500: 499 is the client\'s and unlogged, 500 and 503 the gateway\'s and logged', async () => {
    const clients = await answerTo('499');
    expect(clients.status).toBe(499);
    expect(JSON.parse(clients.text)).toEqual({ errors: [{ message: 'malformed request body', extensions: { code: 'BAD_USER_INPUT' } }] });
    expect(clients.text).not.toContain(SECRET);
    expect(lines).toEqual([]);
    for (const status of [500, 503]) {
      lines.length = 0;
      const answer = await answerTo(String(status));
      expect(answer.status).toBe(status);
      expect(JSON.parse(answer.text)).toEqual(INTERNAL);
      expect(failedLines(), String(status)).toHaveLength(1);
      expect(failedLines()[0]?.level).toBe(50);
    }
  });

  it('answers an error without a status, or with one past 5xx, 500 "internal error", logged', async () => {
    for (const name of ['no-status', '600']) {
      lines.length = 0;
      const answer = await answerTo(name);
      expect(answer.status, name).toBe(500);
      expect(JSON.parse(answer.text), name).toEqual(INTERNAL);
      expect(failedLines(), name).toHaveLength(1);
    }
  });

  it('answers a thrown value that is no Error by its status if it has one, and logs it as it was thrown', async () => {
    const text = await answerTo('a-string');
    expect(text.status).toBe(500);
    expect(JSON.parse(text.text)).toEqual(INTERNAL);
    expect(text.text).not.toContain(SECRET);
    expect(failedLines()).toHaveLength(1);
    expect(failedLines()[0]?.err).toBe(THROWN['a-string']);
    lines.length = 0;
    const object = await answerTo('an-object');
    expect(object.status).toBe(502);
    expect(JSON.parse(object.text)).toEqual(INTERNAL);
    expect(object.text).not.toContain(SECRET);
    expect(failedLines()).toHaveLength(1);
  });

  it('leaves an answer already sent as it went, and its connection open for the next request', async () => {
    const client = new Client(origin, { pipelining: 1 });
    try {
      const before = connections;
      for (let round = 0; round < 2; round++) {
        const answer = await client.request({ method: 'GET', path: '/answered-then-fault' });
        expect(answer.statusCode).toBe(200);
        expect(await answer.body.json()).toEqual({ data: 'answered' });
      }
      expect(connections - before).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('logs a 5xx after the answer had begun at error, with the error, saying the answer may be cut; a 4xx then not at all', async () => {
    const answer = await request(`${origin}/answered-then-fault`);
    expect(answer.statusCode).toBe(200);
    expect(await answer.body.json()).toEqual({ data: 'answered' });
    const begun = lines.filter((line) => typeof line.msg === 'string' && line.msg.startsWith('request failed'));
    expect(begun).toHaveLength(1);
    expect(begun[0]).toMatchObject({
      level: 50,
      answerBegun: true,
      msg: 'request failed after its answer had begun: the client may have got a cut answer',
      err: { type: 'Error' },
    });
    expect((begun[0]?.err as { message?: unknown }).message).toMatch(/^upstream login failed/);
    lines.length = 0;
    const clients = await request(`${origin}/answered-then-client-fault`);
    expect(await clients.body.json()).toEqual({ data: 'answered' });
    expect(lines).toEqual([]);
  });
});
