import { once } from 'node:events';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { requestIdAssigner, type RequestIds } from '../../src/server/request-id.js';

/**
 * The request id as app.ts gives it, on a loopback server: every peer is 127.0.0.1, so it is a
 * trusted proxy only where `listen.trustedProxies` names loopback. The handler answers what the
 * assigner returned and what it left in `res.locals`; the client reads the `x-request-id` header.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** Far more than a loopback answer takes, even on a loaded machine. */
const ANSWER_WAIT_MS = 5_000;

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function serverTrusting(trustedProxies: readonly string[]): Promise<number> {
  const assign = requestIdAssigner(trustedProxies);
  const app = express();
  app.get('/', (req: Request, res: Response) => {
    const ids = assign(req, res);
    res.json({ ids, locals: res.locals.requestId as unknown });
  });
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

interface Seen {
  header: string | string[] | undefined;
  ids: RequestIds;
  locals: unknown;
}

/** One GET with `x-request-id` set to each of `offered` (none when empty; a header line each when several). */
function ask(port: number, ...offered: string[]): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | string[]> = offered.length === 0 ? {} : { 'x-request-id': offered.length === 1 ? offered[0]! : offered };
    const sent = request({ host: '127.0.0.1', port, path: '/', headers, timeout: ANSWER_WAIT_MS }, (answer) => {
      let text = '';
      answer.setEncoding('utf8');
      answer.on('data', (chunk: string) => (text += chunk));
      answer.on('end', () => {
        // express's own error page (the assigner threw): fail now rather than wait out the test's time.
        if (answer.statusCode !== 200) return reject(new Error(`answered ${String(answer.statusCode)}: ${text.slice(0, 200)}`));
        try {
          const body = JSON.parse(text) as { ids: { requestId: string; clientRequestId?: string }; locals: unknown };
          resolve({ header: answer.headers['x-request-id'], ids: { requestId: body.ids.requestId, clientRequestId: body.ids.clientRequestId }, locals: body.locals });
        } catch (error) {
          // No ids handed back (`ids` missing): fail now too.
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
    sent.on('timeout', () => sent.destroy(new Error(`no answer in ${ANSWER_WAIT_MS} ms`)));
    sent.on('error', reject);
    sent.end();
  });
}

describe('request id', () => {
  it("uses a trusted proxy's plain id, as the answer header, res.locals and the returned id, with nothing to log", async () => {
    const port = await serverTrusting(['loopback']);
    for (const offered of ['haproxy-1', 'A.b_c-9', 'x', 'i'.repeat(64)]) {
      expect(await ask(port, offered)).toEqual({ header: offered, ids: { requestId: offered, clientRequestId: undefined }, locals: offered });
    }
    expect((await ask(await serverTrusting(['127.0.0.1/32']), 'lb-7')).ids.requestId).toBe('lb-7');
  });

  it('gives a client not among the trusted proxies a new id and hands back what it offered, to log', async () => {
    for (const trusted of [[], ['10.0.0.0/8', '::1']]) {
      const seen = await ask(await serverTrusting(trusted), 'client-1');
      expect(seen.ids.requestId).toMatch(UUID);
      expect(seen.ids.clientRequestId).toBe('client-1');
      expect([seen.header, seen.locals]).toEqual([seen.ids.requestId, seen.ids.requestId]);
    }
  });

  it('gives a new id, and nothing to log, where the offered id is not plain, even from a trusted proxy', async () => {
    const plainOnly = ['i'.repeat(65), 'has space', 'semi;colon', 'new\u00e9', 'a/b', '{x}'];
    for (const trusted of [['loopback'], []]) {
      const port = await serverTrusting(trusted);
      for (const offered of plainOnly) {
        const seen = await ask(port, offered);
        expect(seen.ids).toEqual({ requestId: expect.stringMatching(UUID), clientRequestId: undefined });
        expect([seen.header, seen.locals]).toEqual([seen.ids.requestId, seen.ids.requestId]);
      }
      // Node joins two header lines into one text ("a, b"): no plain id either.
      expect((await ask(port, 'a', 'b')).ids).toEqual({ requestId: expect.stringMatching(UUID), clientRequestId: undefined });
    }
  });

  it('gives each request without an id its own new one', async () => {
    const port = await serverTrusting(['loopback']);
    const first = await ask(port);
    const second = await ask(port);
    expect(first.ids).toEqual({ requestId: expect.stringMatching(UUID), clientRequestId: undefined });
    expect(second.ids.requestId).toMatch(UUID);
    expect(second.ids.requestId).not.toBe(first.ids.requestId);
    expect(first.header).toBe(first.ids.requestId);
  });
});
