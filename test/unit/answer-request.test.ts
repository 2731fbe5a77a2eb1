import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/harness.js';
import { AnswerBytesBudget } from '../../src/upstream/answer-bytes.js';
import { ResponseTooLargeError } from '../../src/upstream/answer-body.js';
import { requestText, type TextAnswer } from '../../src/upstream/answer-request.js';
import { AttemptCancelled, AttemptSignal, AttemptTimeout } from '../../src/upstream/deadline.js';

/**
 * requestText on its own: a real undici Pool against a loopback server that answers each path as
 * the test says, so the dispatcher handler meets undici's own calls (headers, chunks, pauses,
 * errors) rather than a script of them.
 */
type Answer = (response: ServerResponse) => void;

const answers = new Map<string, Answer>();
let requests = 0;
const server = createServer((request, response) => {
  requests += 1;
  const answer = answers.get(request.url ?? '');
  if (answer) answer(response);
  else response.writeHead(404).end();
});
let pool: Pool;
const signals: AttemptSignal[] = [];

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterEach(() => {
  answers.clear();
  requests = 0;
  for (const signal of signals.splice(0)) signal.dispose();
});
afterAll(async () => {
  await pool.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A signal for one attempt: long enough never to fire unless the test aborts it. */
function attempt(timeoutMs = 30_000, parent?: AbortSignal): AttemptSignal {
  const signal = new AttemptSignal(timeoutMs, parent);
  signals.push(signal);
  return signal;
}

function read(path: string, options: { signal?: AttemptSignal; budget?: AnswerBytesBudget; maxBytes?: number; provider?: string; on?: Pool } = {}): Promise<TextAnswer> {
  const budget = options.budget ?? new AnswerBytesBudget(1024 * 1024);
  return requestText(options.on ?? pool, { method: 'GET', path }, options.signal ?? attempt(), { maxBytes: options.maxBytes ?? 1024 * 1024, budget, provider: options.provider ?? 'acct' });
}

const failure = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => { throw new Error('expected a rejection'); }, (error: unknown) => error);

/** Writes `parts` one at a time, each after the one before has left (several chunks at the reader). */
function inParts(status: number, headers: Record<string, string>, parts: Array<string | Buffer>): Answer {
  return (response) => {
    response.writeHead(status, headers);
    const next = (index: number): void => {
      if (index === parts.length) return void response.end();
      response.write(parts[index], () => setImmediate(() => next(index + 1)));
    };
    next(0);
  };
}

describe('requestText: one request and its answer read whole through undici', () => {
  it("answers the status, the parsed headers and the text, joined from every chunk, and holds the answer's bytes until closed", async () => {
    answers.set('/parts', inParts(207, { 'content-type': 'application/json', 'x-page': '3' }, ['{"a":', '"b",', '"c":1}']));
    const budget = new AnswerBytesBudget(1024);
    const answer = await read('/parts', { budget });
    expect([answer.status, answer.headers['x-page'], answer.text]).toEqual([207, '3', '{"a":"b","c":1}']);
    expect([budget.held, answer.hold.taken]).toEqual([15, 15]);
    answer.hold.close();
    expect(budget.held).toBe(0);
  });

  it('reads an answer in the charset its content type names', async () => {
    answers.set('/latin1', (response) => response.writeHead(200, { 'content-type': 'text/plain; charset=iso-8859-1' }).end(Buffer.from([0x47, 0x72, 0xfc, 0xdf, 0x65])));
    const answer = await read('/latin1');
    expect(answer.text).toBe('Grüße');
    answer.hold.close();
  });

  it('reads an empty answer as empty text, still holding (nothing) until closed', async () => {
    answers.set('/empty', (response) => response.writeHead(204).end());
    const budget = new AnswerBytesBudget(1024);
    const answer = await read('/empty', { budget });
    expect([answer.status, answer.text]).toEqual([204, '']);
    expect(budget.lines.get('acct')?.head).toBe(answer.hold);
    answer.hold.close();
    expect(budget.lines.size).toBe(0);
  });

  it('reads an answer of the size limit exactly, refuses one byte more as too large and lets go of its bytes', async () => {
    answers.set('/edge', inParts(200, {}, ['x'.repeat(60), 'y'.repeat(40)]));
    answers.set('/over', inParts(200, {}, ['x'.repeat(60), 'y'.repeat(41)]));
    const budget = new AnswerBytesBudget(1024);
    const edge = await read('/edge', { budget, maxBytes: 100 });
    expect(edge.text).toHaveLength(100);
    edge.hold.close();
    const signal = attempt();
    expect(await failure(read('/over', { budget, maxBytes: 100, signal }))).toBeInstanceOf(ResponseTooLargeError);
    expect([budget.held, budget.lines.size, Number(signal.watched)]).toEqual([0, 0, 0]);
  });

  it('refuses an attempt already stopped with its reason, sending nothing', async () => {
    answers.set('/never', (response) => response.end('{}'));
    const parent = new AbortController();
    parent.abort();
    const stopped = attempt(30_000, parent.signal);
    const reason = stopped.reason;
    expect(await failure(read('/never', { signal: stopped }))).toBe(reason);
    expect(requests).toBe(0);
  });

  it("stops an answer whose attempt ends mid-read with the signal's reason, letting go of its bytes and of the signal, and drops its connection", async () => {
    let sent = false;
    let dropped = false;
    answers.set('/slow', (response) => {
      response.on('close', () => (dropped = true));
      response.writeHead(200);
      response.write('x'.repeat(50), () => (sent = true));
    });
    const budget = new AnswerBytesBudget(1024);
    const signal = attempt(200);
    const error = await failure(read('/slow', { budget, signal }));
    expect(sent).toBe(true);
    expect(error).toBeInstanceOf(AttemptTimeout);
    expect([budget.held, budget.lines.size, Number(signal.watched)]).toEqual([0, 0, 0]);
    // The answer is never ended by the server: only undici's abort closes it.
    await eventually(async () => dropped, (closed) => closed);
  });

  it('never sends a request whose attempt ended while it waited for a connection', async () => {
    const single = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { connections: 1, pipelining: 1 });
    let release = (): void => {};
    answers.set('/held', (response) => {
      release = () => response.end('held');
    });
    answers.set('/queued', (response) => response.end('queued'));
    try {
      const held = read('/held', { on: single });
      await eventually(async () => requests, (count) => count === 1);
      const client = new AbortController();
      const budget = new AnswerBytesBudget(1024);
      const signal = attempt(30_000, client.signal);
      const queued = failure(read('/queued', { on: single, budget, signal }));
      client.abort();
      expect(await queued).toBeInstanceOf(AttemptCancelled);
      expect([budget.lines.size, Number(signal.watched)]).toEqual([0, 0]);
      release();
      (await held).hold.close();
      // The connection freed, the queued request reaches undici's onConnect: it must stop there.
      const after = await read('/queued', { on: single });
      after.hold.close();
      expect(requests).toBe(2);
    } finally {
      await single.destroy();
    }
  });

  it('reads past an informational (1xx) answer to the final one, holding only its bytes', async () => {
    answers.set('/hints', (response) => {
      response.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
      response.writeHead(200, { 'x-final': 'yes' }).end('final');
    });
    const budget = new AnswerBytesBudget(1024);
    const answer = await read('/hints', { budget });
    expect([answer.status, answer.headers['x-final'], answer.text]).toEqual([200, 'yes', 'final']);
    answer.hold.close();
    expect([budget.held, budget.lines.size]).toEqual([0, 0]);
  });

  it('lets go of the signal once the answer is read', async () => {
    answers.set('/ok', (response) => response.end('ok'));
    const signal = attempt();
    const answer = await read('/ok', { signal });
    expect(signal.watched).toBe(false);
    answer.hold.close();
  });

  it("pauses a later reader past the budget until the account's answer before it is done with, then reads it whole", async () => {
    answers.set('/first', (response) => response.end('a'.repeat(40)));
    answers.set('/second', inParts(200, {}, ['b'.repeat(30), 'c'.repeat(30), 'd'.repeat(30)]));
    const budget = new AnswerBytesBudget(50);
    const first = await read('/first', { budget });
    let done = false;
    const second = read('/second', { budget }).then((answer) => {
      done = true;
      return answer;
    });
    await eventually(async () => budget.paused, (paused) => paused === 1);
    expect(done).toBe(false);
    first.hold.close();
    const answer = await second;
    expect(answer.text).toBe('b'.repeat(30) + 'c'.repeat(30) + 'd'.repeat(30));
    expect(budget.paused).toBe(0);
    answer.hold.close();
    expect(budget.held).toBe(0);
  });

  it("reports undici's own error for a request that could not be sent, holding nothing", async () => {
    const closed = new Pool('http://127.0.0.1:1');
    await closed.close();
    const budget = new AnswerBytesBudget(1024);
    const signal = attempt();
    const error = await failure(read('/any', { on: closed, budget, signal }));
    expect((error as Error).name).toBe('ClientDestroyedError');
    expect([budget.lines.size, Number(signal.watched)]).toEqual([0, 0]);
  });

  it('reports a connection closed mid-answer as the error undici gives, letting go of its bytes', async () => {
    answers.set('/cut', (response) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('x'.repeat(10), () => response.socket?.destroy());
    });
    const budget = new AnswerBytesBudget(1024);
    const signal = attempt();
    const error = await failure(read('/cut', { budget, signal }));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).not.toBe('AttemptTimeout');
    expect([budget.held, budget.lines.size, Number(signal.watched)]).toEqual([0, 0, 0]);
  });
});
