import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { UpstreamBudget } from '../../src/upstream/budget.js';
import { UpstreamClient } from '../../src/upstream/client.js';
import { UPSTREAM_DEFAULTS } from '../../src/upstream/defaults.js';
import { mayHaveActed } from '../../src/upstream/may-have-acted.js';
import { RefusedUnsent, refusalsBeforeWriteUnsent, unsentWhereNoWrite } from '../../src/upstream/refused-unsent.js';

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

describe('refusalsBeforeWriteUnsent and unsentWhereNoWrite, each path', () => {
  const tooComplex = (): GatewayError => new GatewayError('QUERY_TOO_COMPLEX', 'this request needs more than 1 upstream calls', { retryAfterSeconds: 3 });
  const failWith = (error: unknown) => async (): Promise<never> => {
    throw error;
  };
  const caught = async (running: Promise<unknown>): Promise<unknown> => running.then(() => null, (error: unknown) => error);

  it('answers what the mutation answers, with a budget or without one', async () => {
    await expect(refusalsBeforeWriteUnsent(new UpstreamBudget(5), async () => 'done')).resolves.toBe('done');
    await expect(refusalsBeforeWriteUnsent(undefined, async () => 'done')).resolves.toBe('done');
  });

  it('keeps the refusal\'s code, message and details, and its class for mayHaveActed', async () => {
    const refusal = tooComplex();
    const unsent = await caught(refusalsBeforeWriteUnsent(new UpstreamBudget(5), failWith(refusal)));
    expect(unsent).toBeInstanceOf(RefusedUnsent);
    expect(unsent).toMatchObject({ code: 'QUERY_TOO_COMPLEX', message: refusal.message, details: { retryAfterSeconds: 3 } });
    // One already marked passes as it is, not wrapped again.
    expect(unsentWhereNoWrite(unsent, true)).toBe(unsent);
  });

  it('leaves every other failure as it is: no budget, a write sent, another code, no GatewayError', async () => {
    const refusal = tooComplex();
    expect(await caught(refusalsBeforeWriteUnsent(undefined, failWith(refusal)))).toBe(refusal);
    const budget = new UpstreamBudget(5);
    const afterWrite = async (): Promise<never> => {
      budget.spend(true);
      throw refusal;
    };
    expect(await caught(refusalsBeforeWriteUnsent(budget, afterWrite))).toBe(refusal);
    const conflict = new GatewayError('CONFLICT', 'busy');
    expect(await caught(refusalsBeforeWriteUnsent(new UpstreamBudget(5), failWith(conflict)))).toBe(conflict);
    const lookalike = Object.assign(new Error('no gateway error'), { code: 'QUERY_TOO_COMPLEX' });
    expect(await caught(refusalsBeforeWriteUnsent(new UpstreamBudget(5), failWith(lookalike)))).toBe(lookalike);
    expect(unsentWhereNoWrite(refusal, false)).toBe(refusal);
  });
});

describe('UpstreamBudget.spend', () => {
  it('counts the writes let through, not the reads nor a refused write', () => {
    const budget = new UpstreamBudget(3);
    budget.spend();
    budget.spend(false);
    expect(budget.writesSent).toBe(0);
    budget.spend(true);
    expect(budget.writesSent).toBe(1);
    expect(() => budget.spend(true)).toThrow(GatewayError);
    expect(budget.writesSent).toBe(1);
  });

  it('refuses every call once the answers passed their bytes, and none while they are at the limit', () => {
    const atLimit = new UpstreamBudget(5, 10);
    atLimit.receive(10, false);
    atLimit.spend();
    const passed = new UpstreamBudget(5, 10);
    passed.receive(11, false);
    expect(() => passed.spend()).toThrow(/passed 10 bytes/);
    expect(passed.writesSent).toBe(0);
  });
});
