import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { isZstackErrorAnswer } from '../../src/providers/zstack/client.js';
import { UpstreamClient } from '../../src/upstream/client.js';
import { UPSTREAM_DEFAULTS } from '../../src/upstream/defaults.js';
import { MAX_JSON_CONTAINERS } from '../../src/upstream/json-containers.js';

/**
 * A 503 whose body ZStack's adapter reads for its own failure answer (`{"error": {...}}`) went
 * through one JSON.parse, before the container count and outside the parse in turns: the same
 * 6 MB of `{}` an answer is parsed in turns for held the loop for the whole of it.
 */
const EMPTY_OBJECTS = MAX_JSON_CONTAINERS - 10_000;
const filler = `[${'{},'.repeat(EMPTY_OBJECTS - 1)}{}]`;
const answers: Record<string, string> = {
  '/outage': `{"error":null,"padding":${filler}}`,
  '/failed-job': `{"error":{"code":"SYS.1001","description":"failed","details":${filler}}}`,
};

/** ZStack's RestServer.sendResponse names no content type: its failure answer must still be read as one. */
const UNTYPED = '/failed-job-untyped';
const UNTYPED_OK = '/query-untyped';

const server = createServer((request, response) => {
  if (request.url === UNTYPED_OK) {
    response.writeHead(200);
    response.end('{"inventories":[{"uuid":"4b3f"}]}');
    return;
  }
  if (request.url === UNTYPED) {
    response.writeHead(503);
    response.end('{"error":{"code":"SYS.1001","description":"the job failed"}}');
    return;
  }
  response.writeHead(503, { 'content-type': 'application/json' });
  response.end(answers[request.url ?? ''] ?? '{}');
});
let client: UpstreamClient;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new UpstreamClient({
    providerId: 'zstack-held',
    kind: 'zstack',
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    policy: { ...UPSTREAM_DEFAULTS, retries: 0 },
    logger: pino({ level: 'silent' }),
    coalesceReads: false,
  });
});
afterAll(async () => {
  await client.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** The longest gap between turns of the event loop while `work` runs, and how it ended. */
async function longestTurnWhile(work: Promise<unknown>): Promise<{ longestTurnMs: number; outcome: unknown }> {
  let longestTurnMs = 0;
  let last = performance.now();
  let going = true;
  const tick = (): void => {
    const now = performance.now();
    longestTurnMs = Math.max(longestTurnMs, now - last);
    last = now;
    if (going) setImmediate(tick);
  };
  setImmediate(tick);
  const outcome = await work.then(
    (response) => (response as { status: number }).status,
    (error: unknown) => (error instanceof GatewayError ? error.code : error),
  );
  going = false;
  return { longestTurnMs: Math.max(longestTurnMs, performance.now() - last), outcome };
}

describe("a large 5xx answer read for the provider's own failure answer", () => {
  it('is parsed in turns, as any answer: an outage stays PROVIDER_UNAVAILABLE, a failed job is handed back, and neither holds the loop', async () => {
    const parseStarted = performance.now();
    JSON.parse(answers['/outage'] as string);
    const wholeParseMs = performance.now() - parseStarted;
    for (const [path, expected] of [
      ['/outage', 'PROVIDER_UNAVAILABLE'],
      ['/failed-job', 503],
    ] as const) {
      const { longestTurnMs, outcome } = await longestTurnWhile(
        client.request({ method: 'GET', path, operation: 'job.read', passErrorBody: isZstackErrorAnswer, scope: { requestId: 'r' } }),
      );
      expect(outcome).toBe(expected);
      expect(longestTurnMs, `${path}: longest turn ${longestTurnMs.toFixed(0)} ms, one JSON.parse ${wholeParseMs.toFixed(0)} ms`).toBeLessThan(wholeParseMs / 2);
    }
  }, 60_000);
});

describe('a 5xx failure answer without a content type', () => {
  it("is still read for the provider's own failure answer (ZStack names none), not taken as an outage", async () => {
    const answer = await client.request({ method: 'GET', path: UNTYPED, operation: 'job.read', passErrorBody: isZstackErrorAnswer, scope: { requestId: 'r' } });
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ error: { code: 'SYS.1001', description: 'the job failed' } });
  });
});

describe('a 2xx answer without a content type', () => {
  it('is read as JSON (ZStack names none), not refused as "not JSON"', async () => {
    const answer = await client.request({ method: 'GET', path: UNTYPED_OK, operation: 'vms.list', scope: { requestId: 'r' } });
    expect(answer.body).toEqual({ inventories: [{ uuid: '4b3f' }] });
  });
});
