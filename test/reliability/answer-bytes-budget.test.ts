import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as turn } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/observability/logger.js';
import { AnswerBytesBudget } from '../../src/upstream/answer-bytes.js';
import { UpstreamClient } from '../../src/upstream/client.js';
import { UpstreamCancelledError } from '../../src/upstream/deadline.js';
import { UPSTREAM_DEFAULTS } from '../../src/upstream/defaults.js';
import { UNSCOPED, type UpstreamScope } from '../../src/upstream/scope.js';

const MiB = 1024 * 1024;
/** The most one socket read hands a stream at once: a paused reader holds the chunk that found the budget spent. */
const SOCKET_READ = 64 * 1024;

/**
 * A provider answering `["xxx..."]` of `?bytes=` bytes in 64 KiB writes, with backpressure, and
 * no content-length. `&stall=1`: the answer's end never comes (the socket stays open);
 * `&die=1`: the socket is destroyed once the bytes are written.
 */
function largeAnswers(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const params = new URL(req.url ?? '/', 'http://x').searchParams;
    const bytes = Number(params.get('bytes'));
    res.writeHead(200, { 'content-type': 'application/json' });
    const filler = 'x'.repeat(SOCKET_READ);
    let sent = 0;
    res.write('["');
    const more = (): void => {
      while (sent < bytes) {
        const piece = filler.slice(0, Math.min(filler.length, bytes - sent));
        sent += piece.length;
        if (!res.write(piece)) return void res.once('drain', more);
      }
      if (params.get('die') === '1') res.socket?.destroy();
      else if (params.get('stall') !== '1') res.end('"]');
    };
    more();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

/** Until `done()`, a turn of the event loop at a time (no sleeping for a guessed time). */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await turn();
}

describe('the budget of answer bytes held while read (limits.maxAnswerBytesHeld)', () => {
  let provider: { server: Server; url: string };
  const clients: UpstreamClient[] = [];
  beforeAll(async () => {
    provider = await largeAnswers();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  afterAll(() => {
    provider.server.closeAllConnections();
    provider.server.close();
  });

  const account = (budget: AnswerBytesBudget, id: string, timeoutMs = 20_000): UpstreamClient => {
    const client = new UpstreamClient({
      providerId: id,
      kind: 'zomro',
      baseUrl: provider.url,
      policy: { ...UPSTREAM_DEFAULTS, retries: 0, timeoutMs, maxResponseBytes: 8 * MiB },
      logger: createLogger('silent'),
      answerBytes: budget,
      coalesceReads: false,
    });
    clients.push(client);
    return client;
  };
  const get = (client: UpstreamClient, query: Record<string, number>, scope: UpstreamScope = UNSCOPED) =>
    client.request({ method: 'GET', path: '/', query, idempotent: true, operation: 'big.read', scope });

  it('reads 18 concurrent answers of 3 MiB from three accounts whole, never holding more than the budget plus one answer per account', async () => {
    const budget = new AnswerBytesBudget(4 * MiB);
    const answer = 3 * MiB;
    const accounts = ['a', 'b', 'c'].map((id) => account(budget, id));
    let mostPaused = 0;
    const reads = accounts.flatMap((client) => Array.from({ length: 6 }, () => get(client, { bytes: answer })));
    let settled = false;
    const all = Promise.all(reads).finally(() => (settled = true));
    await until(() => {
      mostPaused = Math.max(mostPaused, budget.paused);
      return settled;
    });
    const answers = await all;
    for (const { body } of answers) expect((body as string[])[0]?.length).toBe(answer);
    // Eighteen at once held 54 MiB; within the budget they wait their turn, a socket read each past it at most,
    // but for each account's oldest reader, which goes on.
    expect(budget.peak).toBeLessThanOrEqual(4 * MiB + accounts.length * answer + reads.length * SOCKET_READ);
    expect(mostPaused).toBeGreaterThan(0);
    expect({ held: budget.held, paused: budget.paused }).toEqual({ held: 0, paused: 0 });
  }, 60_000);

  it('releases the bytes of an answer refused as too large, one whose provider died, and one whose client left', async () => {
    const budget = new AnswerBytesBudget(64 * MiB);
    const client = account(budget, 'fails');
    await expect(get(client, { bytes: 9 * MiB })).rejects.toMatchObject({ code: 'PROVIDER_ERROR', details: { providerCode: 'RESPONSE_TOO_LARGE' } });
    expect(budget.held).toBe(0);
    await expect(get(client, { bytes: 2 * MiB, die: 1 })).rejects.toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
    expect(budget.held).toBe(0);

    const left = new AbortController();
    const cut = get(client, { bytes: 2 * MiB, stall: 1 }, { requestId: undefined, signal: left.signal });
    await until(() => budget.held >= 2 * MiB);
    left.abort();
    await expect(cut).rejects.toBeInstanceOf(UpstreamCancelledError);
    expect(budget.held).toBe(0);
    expect((await get(client, { bytes: 1024 })).status).toBe(200);
    expect(budget.held).toBe(0);
  }, 30_000);

  it("fails a reader paused past its attempt timeout as PROVIDER_TIMEOUT, releasing its bytes, while its account's oldest reader goes on", async () => {
    const budget = new AnswerBytesBudget(1 * MiB);
    // The account's oldest reader holds 2 MiB, past the budget, and its answer never ends before its own timeout.
    const oldest = get(account(budget, 'stalls', 1_500), { bytes: 2 * MiB, stall: 1 });
    await until(() => budget.held >= 2 * MiB);
    // The same account, its reads with a shorter timeout.
    const paused = get(account(budget, 'stalls', 500), { bytes: 2 * MiB });
    await until(() => budget.paused === 1);
    await expect(paused).rejects.toMatchObject({ code: 'PROVIDER_TIMEOUT', message: 'provider stalls did not answer in time' });
    expect(budget.paused).toBe(0);
    expect(budget.held).toBeGreaterThanOrEqual(2 * MiB);
    await expect(oldest).rejects.toMatchObject({ code: 'PROVIDER_TIMEOUT' });
    expect({ held: budget.held, paused: budget.paused }).toEqual({ held: 0, paused: 0 });
  }, 30_000);

  it("reads another account's answer whole while one account's oldest reader holds the budget and stalls", async () => {
    const budget = new AnswerBytesBudget(1 * MiB);
    const left = new AbortController();
    const stalled = get(account(budget, 'hostile'), { bytes: 2 * MiB, stall: 1 }, { requestId: undefined, signal: left.signal });
    await until(() => budget.held >= 2 * MiB);
    // With one oldest reader for every account, this one paused until the hostile answer's timeout.
    expect(((await get(account(budget, 'healthy', 2_000), { bytes: 2 * MiB })).body as string[])[0]?.length).toBe(2 * MiB);
    expect(budget.peak).toBeLessThanOrEqual(1 * MiB + 2 * (2 * MiB + SOCKET_READ));
    left.abort();
    await expect(stalled).rejects.toBeInstanceOf(UpstreamCancelledError);
    expect({ held: budget.held, paused: budget.paused, accounts: budget.lines.size }).toEqual({ held: 0, paused: 0, accounts: 0 });
  }, 30_000);

  it('resumes a paused reader as soon as the reader before it is done with its bytes', async () => {
    const budget = new AnswerBytesBudget(1 * MiB);
    const client = account(budget, 'turns');
    const left = new AbortController();
    const first = get(client, { bytes: 2 * MiB, stall: 1 }, { requestId: undefined, signal: left.signal });
    await until(() => budget.held >= 2 * MiB);
    const second = get(client, { bytes: 2 * MiB });
    await until(() => budget.paused === 1);
    // The first answer never ends: its client leaving is what frees the second.
    left.abort();
    await expect(first).rejects.toBeInstanceOf(UpstreamCancelledError);
    expect(((await second).body as string[])[0]?.length).toBe(2 * MiB);
    expect({ held: budget.held, paused: budget.paused }).toEqual({ held: 0, paused: 0 });
  }, 30_000);
});

describe('limits.maxAnswerBytesHeld in the config', () => {
  const base = { allowAnonymous: true, providers: [{ id: 'lab', kind: 'zstack', url: 'http://zstack.example.com:8080', auth: { accountName: 'admin', password: 'secret-password' }, backupStorageUuid: 'fc50c1ece4753c1981e3e3f65a151e0e' }] };

  it('defaults to 128 MiB, takes a whole number of bytes from 1 MiB, and refuses anything else by its key', () => {
    expect(validateConfig(base).limits.maxAnswerBytesHeld).toBe(128 * MiB);
    expect(validateConfig({ ...base, limits: { maxAnswerBytesHeld: 16 * MiB } }).limits.maxAnswerBytesHeld).toBe(16 * MiB);
    for (const wrong of [0, -1, 1024, 1.5 * MiB + 0.5, '128MiB']) {
      expect(() => validateConfig({ ...base, limits: { maxAnswerBytesHeld: wrong } })).toThrow(/limits\.maxAnswerBytesHeld/);
    }
  });
});
