import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { AddressGroupKind } from '../../src/server/address-groups.js';
import { capUnsentHttpAnswers, refuseWhileFull, UnsentAnswerBytes } from '../../src/server/unsent-answers.js';

/**
 * The HTTP side of `limits.maxUnsentAnswerBytesPerAddress` on a loopback server, as app.ts wires
 * it: each answer counted against its address from `res.end` until its last byte reaches the kernel
 * (or its connection closes), one past the limit answered 429 in its place, and a request from an
 * address already full refused before it runs. Every caller here is 127.0.0.1.
 */
const ADDRESS = '127.0.0.1';
const LIMIT = 1_000;

interface Refusal {
  by: AddressGroupKind;
  size: number;
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  if (server?.listening) await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/** A server whose answers `handle` writes, capped by `ledger`; `replaceable` as app.ts's (a query's answer may be replaced). */
async function cappedServer(ledger: UnsentAnswerBytes, handle: (req: IncomingMessage, res: ServerResponse) => void, replaceable = true) {
  const refusals: Refusal[] = [];
  server = createServer(handle);
  capUnsentHttpAnswers(server, { ledger, addressOf: () => ADDRESS, onRefused: (_req, by, size) => refusals.push({ by, size }), replaceable: () => replaceable });
  server.listen(0, ADDRESS);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { refusals, url: `http://${ADDRESS}:${port}/graphql` };
}

describe('capUnsentHttpAnswers: an answer counted until the kernel takes it', () => {
  it('counts an answer from its end until it is sent, then gives its bytes back once', async () => {
    const ledger = new UnsentAnswerBytes(LIMIT);
    ledger.take(ADDRESS, 100);
    let countedWhileUnsent = -1;
    let countedOnceSent = -1;
    let sentAndClosed: Promise<unknown> = Promise.resolve();
    const { url } = await cappedServer(ledger, (_req, res) => {
      res.end('é'.repeat(200));
      countedWhileUnsent = ledger.bytes(ADDRESS);
      res.once('finish', () => (countedOnceSent = ledger.bytes(ADDRESS)));
      sentAndClosed = Promise.all([once(res, 'finish'), once(res, 'close')]);
    });
    const answer = await fetch(url);
    expect(await answer.text()).toBe('é'.repeat(200));
    expect(countedWhileUnsent).toBe(100 + 400);
    await sentAndClosed;
    // Given back as its last byte reaches the kernel, not later when the connection closes.
    expect(countedOnceSent).toBe(100);
    // Given back on 'finish', not again on 'close': the other 100 bytes are still held.
    expect(ledger.bytes(ADDRESS)).toBe(100);
  });

  it('counts bytes in the encoding the answer was ended with, and a Buffer by its length', async () => {
    const ledger = new UnsentAnswerBytes(LIMIT);
    const counted: number[] = [];
    const { url } = await cappedServer(ledger, (req, res) => {
      if (req.url?.endsWith('latin1')) res.end('é'.repeat(50), 'latin1');
      else res.end(Buffer.alloc(70, 'a'));
      counted.push(ledger.bytes(ADDRESS));
    });
    await (await fetch(`${url}?latin1`)).arrayBuffer();
    await (await fetch(url)).arrayBuffer();
    expect(counted).toEqual([50, 70]);
  });

  it("answers 429 QUERY_TOO_COMPLEX in place of an answer past the address's limit, and counts nothing for it", async () => {
    const ledger = new UnsentAnswerBytes(LIMIT);
    ledger.take(ADDRESS, 900);
    const called: string[] = [];
    const { url, refusals } = await cappedServer(ledger, (req, res) => {
      res.statusCode = 200;
      res.setHeader('content-type', 'text/plain');
      if (req.url?.endsWith('encoded')) res.end('x'.repeat(200), 'utf8', () => called.push('after its encoding'));
      else res.end('x'.repeat(200), () => called.push('in its place'));
    });
    const answer = await fetch(url);
    const body = await answer.text();
    expect(answer.status).toBe(429);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(Number(answer.headers.get('content-length'))).toBe(Buffer.byteLength(body));
    expect(JSON.parse(body)).toEqual({
      errors: [
        {
          message: `this address has answers of more than ${LIMIT} bytes it has not taken (limits.maxUnsentAnswerBytesPerAddress): read them, then ask again`,
          extensions: { code: 'QUERY_TOO_COMPLEX' },
        },
      ],
    });
    expect(refusals).toEqual([{ by: 'address', size: 200 }]);
    const encoded = await fetch(`${url}?encoded`);
    expect([encoded.status, JSON.parse(await encoded.text())]).toEqual([429, JSON.parse(body)]);
    // The callback, given after an encoding or in its place, is still called, with the refusal sent.
    expect(called).toEqual(['in its place', 'after its encoding']);
    expect(ledger.bytes(ADDRESS)).toBe(900);
  });

  it('sends, uncounted, an answer past the limit that may have acted, or whose head is already sent, and an empty one', async () => {
    const ledger = new UnsentAnswerBytes(LIMIT);
    // One answer larger than the limit, not taken yet: the address is past its limit.
    ledger.take(ADDRESS, 5_000);
    const mutation = await cappedServer(ledger, (_req, res) => res.end('y'.repeat(200)), false);
    const acted = await fetch(mutation.url);
    expect([acted.status, await acted.text()]).toEqual([200, 'y'.repeat(200)]);
    expect(mutation.refusals).toEqual([]);
    await new Promise((resolve) => server?.close(resolve));

    const streamed = await cappedServer(ledger, (req, res) => {
      if (req.url?.endsWith('empty')) {
        res.statusCode = 204;
        return res.end();
      }
      res.writeHead(200).flushHeaders();
      res.end('z'.repeat(200));
    });
    const answer = await fetch(streamed.url);
    expect([answer.status, await answer.text()]).toEqual([200, 'z'.repeat(200)]);
    const empty = await fetch(`${streamed.url}?empty`);
    expect(empty.status).toBe(204);
    expect(streamed.refusals).toEqual([]);
    expect(ledger.bytes(ADDRESS)).toBe(5_000);
  });

  it('gives back an answer the client never read when its connection closes', async () => {
    const ledger = new UnsentAnswerBytes(64 * 1024 * 1024);
    let closed: Promise<unknown> = Promise.resolve();
    let counted = 0;
    const ended = new Promise<void>((resolve) => {
      void cappedServer(ledger, (_req, res) => {
        closed = once(res, 'close');
        res.end(Buffer.alloc(16 * 1024 * 1024));
        counted = ledger.bytes(ADDRESS);
        resolve();
      }).then(({ url }) => {
        const { port } = new URL(url);
        const socket = connect(Number(port), ADDRESS, () => socket.write('GET /graphql HTTP/1.1\r\nhost: x\r\n\r\n'));
        socket.pause();
        void ended.then(() => socket.destroy());
      });
    });
    await ended;
    await closed;
    expect(counted).toBe(16 * 1024 * 1024);
    expect(ledger.bytes(ADDRESS)).toBe(0);
  });
});

describe('refuseWhileFull: an address holding its limit is refused before anything runs', () => {
  async function guarded(ledger: UnsentAnswerBytes) {
    const refused: AddressGroupKind[] = [];
    let ran = 0;
    const guard = refuseWhileFull(ledger, () => ADDRESS, (_req, by) => refused.push(by));
    server = createServer((req, res) =>
      guard(req, res, () => {
        ran += 1;
        res.end('ran');
      }),
    );
    server.listen(0, ADDRESS);
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return { refused, ran: () => ran, url: `http://${ADDRESS}:${port}/graphql` };
  }

  it('runs a request while the address holds less than its limit, refuses it at the limit', async () => {
    const ledger = new UnsentAnswerBytes(LIMIT);
    ledger.take(ADDRESS, LIMIT - 1);
    const { refused, ran, url } = await guarded(ledger);
    expect(await (await fetch(url)).text()).toBe('ran');
    ledger.take(ADDRESS, 1);
    const answer = await fetch(url);
    const body = await answer.text();
    expect(answer.status).toBe(429);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(Number(answer.headers.get('content-length'))).toBe(Buffer.byteLength(body));
    expect(JSON.parse(body)).toMatchObject({ errors: [{ extensions: { code: 'QUERY_TOO_COMPLEX' } }] });
    expect(ran()).toBe(1);
    expect(refused).toEqual(['address']);
  });

  it('names the /64 when the address is under its limit and its /64 is not', async () => {
    const ledger = new UnsentAnswerBytes(LIMIT);
    expect(ledger.full('2001:db8:1:2:0:0:0:1')).toBeNull();
    for (let host = 1; host <= 16; host += 1) ledger.take(`2001:db8:1:2:0:0:0:${host}`, LIMIT - 1);
    ledger.take('2001:db8:1:2:0:0:0:99', 16);
    expect(ledger.full('2001:db8:1:2:0:0:0:99')).toBe('subnet');
  });
});
