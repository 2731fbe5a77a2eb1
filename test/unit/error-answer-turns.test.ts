import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { isZstackErrorAnswer } from '../../src/providers/zstack/client.js';
import { UpstreamClient } from '../../src/upstream/client.js';
import { UPSTREAM_DEFAULTS } from '../../src/upstream/defaults.js';
import { MAX_JSON_CONTAINERS } from '../../src/upstream/json-containers.js';
import { PIECE_LIMITS } from '../../src/upstream/json-in-turns.js';
import { parseWorkWhile } from '../helpers/parse-work-per-turn.js';

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

/** A request's status, or the code it was refused with. */
const outcomeOf = (request: Promise<{ status: number }>): Promise<unknown> =>
  request.then(
    (response) => response.status,
    (error: unknown) => (error instanceof GatewayError ? error.code : error),
  );

describe("a large 5xx answer read for the provider's own failure answer", () => {
  it('is parsed in turns, as any answer: an outage stays PROVIDER_UNAVAILABLE, a failed job is handed back, and neither holds the loop for more than a piece', async () => {
    for (const [path, expected] of [
      ['/outage', 'PROVIDER_UNAVAILABLE'],
      ['/failed-job', 503],
    ] as const) {
      const { result: outcome, parsed } = await parseWorkWhile(() =>
        outcomeOf(client.request({ method: 'GET', path, operation: 'job.read', passErrorBody: isZstackErrorAnswer, scope: { requestId: 'r' } })),
      );
      expect(outcome).toBe(expected);
      // All of the answer went through JSON.parse, no more than a piece's containers in a turn (one JSON.parse had them all in one).
      expect(parsed.containers, path).toBeGreaterThan(EMPTY_OBJECTS);
      expect(parsed.mostInOneTurn, `${path}: ${JSON.stringify(parsed)}`).toBeLessThanOrEqual(PIECE_LIMITS.containers + 100);
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
