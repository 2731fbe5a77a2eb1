import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { UpstreamBudget } from '../../src/upstream/budget.js';
import { UpstreamClient } from '../../src/upstream/client.js';
import { UPSTREAM_DEFAULTS } from '../../src/upstream/defaults.js';
import { mayHaveActed } from '../../src/upstream/may-have-acted.js';
import { refusalsBeforeWriteUnsent } from '../../src/upstream/refused-unsent.js';

/**
 * A request's budget refusal (QUERY_TOO_COMPLEX) met by a mutation: nothing was sent where it came
 * before the mutation's write (the key is freed), the write may have acted where it came after.
 */
describe('budget refusals before and after a write', () => {
  const received: string[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    received.push(`${request.method} ${request.url}`);
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  let client: UpstreamClient;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new UpstreamClient({
      providerId: 'budgeted',
      kind: 'test',
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      policy: { ...UPSTREAM_DEFAULTS, retries: 0 },
      logger: pino({ level: 'silent' }),
    });
  });
  afterAll(async () => {
    await client.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('a write the calls budget refuses is not sent and did not act', async () => {
    received.length = 0;
    const budget = new UpstreamBudget(1);
    const scope = { requestId: 'unsent-write', budget };
    await client.request({ method: 'GET', path: '/read', operation: 'read', scope });
    const refused = await client.request({ method: 'POST', path: '/write', operation: 'write', scope }).then(() => null, (caught: unknown) => caught);
    expect(refused).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    expect(mayHaveActed(refused)).toBe(false);
    expect(received).toEqual(['GET /read']);
  });

  it('a mutation refused at a read before its write did not act; one refused at the read after its write may have', async () => {
    received.length = 0;
    const before = new UpstreamBudget(1);
    const readFirst = async (): Promise<void> => {
      await client.request({ method: 'GET', path: '/first', operation: 'read', scope: { requestId: 'before', budget: before } });
      await client.request({ method: 'GET', path: '/second', operation: 'read', scope: { requestId: 'before', budget: before } });
    };
    const refusedBefore = await refusalsBeforeWriteUnsent(before, readFirst).then(() => null, (caught: unknown) => caught);
    expect(refusedBefore).toBeInstanceOf(GatewayError);
    expect(refusedBefore).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    expect(mayHaveActed(refusedBefore)).toBe(false);

    const after = new UpstreamBudget(1);
    const writeThenRead = async (): Promise<void> => {
      await client.request({ method: 'POST', path: '/write', operation: 'write', scope: { requestId: 'after', budget: after } });
      await client.request({ method: 'GET', path: '/follow-up', operation: 'read', scope: { requestId: 'after', budget: after } });
    };
    const refusedAfter = await refusalsBeforeWriteUnsent(after, writeThenRead).then(() => null, (caught: unknown) => caught);
    expect(refusedAfter).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    expect(mayHaveActed(refusedAfter)).toBe(true);
    expect(received).toEqual(['GET /first', 'POST /write']);
  });
});
