import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamBudget } from '../../src/upstream/budget.js';
import { UpstreamClient } from '../../src/upstream/client.js';
import { UPSTREAM_DEFAULTS } from '../../src/upstream/defaults.js';

/** Far past the test's own timeout: an answer that waited it out would fail the test by timing out. */
const BACKOFF_MS = 30_000;
const ANSWER_BYTES_LIMIT = 1_000;

/**
 * A read stopped while it waits out a retry's backoff (its request's answers passed their budget
 * on another read) sent nothing more, but its request still waited the whole backoff before
 * answering (cockatiel's retry sleeps on a timer that no signal ends). The wait now ends at the stop.
 */
describe('a read waiting out a retry backoff when its request stops', () => {
  let busyCalls = 0;
  let busyArrived: () => void = () => {};
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    if (request.url === '/busy') {
      busyCalls += 1;
      response.writeHead(503, { 'retry-after': String(BACKOFF_MS / 1000), 'content-type': 'application/json' }).end('{}');
      busyArrived();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ note: 'n'.repeat(2 * ANSWER_BYTES_LIMIT) }));
  });
  let url = '';

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  for (const coalesceReads of [true, false]) {
    it(`answers QUERY_TOO_COMPLEX at the stop, not after the backoff (coalesceReads: ${coalesceReads})`, async () => {
      busyCalls = 0;
      const client = new UpstreamClient({
        providerId: 'backing-off',
        kind: 'test',
        baseUrl: url,
        coalesceReads,
        policy: { ...UPSTREAM_DEFAULTS, retries: 1, retryMaxDelayMs: BACKOFF_MS },
        logger: pino({ level: 'silent' }),
      });
      try {
        const budget = new UpstreamBudget(100, ANSWER_BYTES_LIMIT);
        const scope = { requestId: 'stopped', budget, signal: budget.signal };
        const firstAttemptFailed = new Promise<void>((resolve) => (busyArrived = resolve));
        const backingOff = client.request({ method: 'GET', path: '/busy', operation: 'busy', scope }).then(
          () => null,
          (caught: unknown) => caught,
        );
        await firstAttemptFailed;
        // The other read of the same request passes its answer bytes: the request stops.
        await expect(client.request({ method: 'GET', path: '/large', operation: 'large', scope })).rejects.toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
        expect(budget.signal.aborted).toBe(true);
        expect(await backingOff).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
        // Nothing more was sent for it.
        expect(busyCalls).toBe(1);
      } finally {
        await client.close();
      }
    }, 10_000);
  }
});
