import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/domain/errors.js';
import { FailedAfterWriteReached, failuresAfterWriteKept } from '../../src/upstream/after-write-reached.js';
import { UpstreamBudget } from '../../src/upstream/budget.js';
import { UpstreamClient } from '../../src/upstream/client.js';
import { UpstreamFailure, UpstreamNotSent } from '../../src/upstream/deadline.js';
import { UPSTREAM_DEFAULTS } from '../../src/upstream/defaults.js';
import { mayHaveActed } from '../../src/upstream/may-have-acted.js';

/** A failure of the gateway's side (429, not sent, store) after a write the provider took keeps the key. */
describe('failures after a write reached the provider', () => {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    if (request.url === '/refused') return void response.writeHead(422, { 'content-type': 'application/json' }).end('{}');
    if (request.url === '/busy') return void response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' }).end('{}');
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  let client: UpstreamClient;
  const scopeOf = (budget: UpstreamBudget) => ({ requestId: 'r', budget });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new UpstreamClient({
      providerId: 'reached',
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

  it('a read rate limited after a write answered 2xx may have acted; the same read alone did not', async () => {
    const budget = new UpstreamBudget(10);
    const afterWrite = await failuresAfterWriteKept(budget, async () => {
      await client.request({ method: 'POST', path: '/create', operation: 'create', scope: scopeOf(budget) });
      await client.request({ method: 'GET', path: '/busy', operation: 'list', scope: scopeOf(budget) });
    }).catch((error: unknown) => error);
    expect(afterWrite).toBeInstanceOf(GatewayError);
    expect((afterWrite as GatewayError).code).toBe('PROVIDER_UNAVAILABLE');
    expect(mayHaveActed(afterWrite)).toBe(true);

    const alone = await failuresAfterWriteKept(budget, () => client.request({ method: 'GET', path: '/busy', operation: 'list', scope: scopeOf(budget) })).catch((error: unknown) => error);
    expect(mayHaveActed(alone)).toBe(false);
  });

  it('a write the provider refused (4xx) reached nothing: a failure after it still frees the key', async () => {
    const budget = new UpstreamBudget(10);
    const failed = await failuresAfterWriteKept(budget, async () => {
      await client.request({ method: 'POST', path: '/refused', operation: 'create', scope: scopeOf(budget) });
      throw new UpstreamNotSent('reached', 'provider reached is not taking requests');
    }).catch((error: unknown) => error);
    expect(budget.writesReached).toBe(0);
    expect(mayHaveActed(failed)).toBe(false);
  });

  it("keeps the failure's code, message and details as they were", async () => {
    const budget = new UpstreamBudget(10);
    const failed = await failuresAfterWriteKept(budget, async () => {
      await client.request({ method: 'POST', path: '/create', operation: 'create', scope: scopeOf(budget) });
      throw new GatewayError('STORE_UNAVAILABLE', 'the shared store did not answer', { provider: 'reached' });
    }).catch((error: unknown) => error as GatewayError);
    expect([failed.code, failed.message, failed.details]).toEqual(['STORE_UNAVAILABLE', 'the shared store did not answer', { provider: 'reached' }]);
    expect(mayHaveActed(failed)).toBe(true);
  });
  /** `act`'s failure after a write of its own reached the provider (budget.writeReached, as the client counts a 2xx write). */
  const afterReachedWrite = (failure: unknown): Promise<unknown> => {
    const budget = new UpstreamBudget(10);
    return failuresAfterWriteKept(budget, async () => {
      budget.writeReached();
      throw failure;
    }).catch((error: unknown) => error);
  };

  it("keeps the key for each failure of the gateway's side after a write reached: not sent, an upstream failure, the store, shutting down", async () => {
    const failures = [
      new UpstreamNotSent('reached', 'provider reached is not taking requests'),
      new UpstreamFailure('PROVIDER_UNAVAILABLE', 'provider reached refused the connection', { provider: 'reached' }, 'refused'),
      new GatewayError('STORE_UNAVAILABLE', 'the shared store did not answer'),
      new GatewayError('SHUTTING_DOWN', 'the gateway is shutting down'),
    ];
    for (const failure of failures) {
      const kept = await afterReachedWrite(failure);
      expect(kept, failure.code).toBeInstanceOf(FailedAfterWriteReached);
      expect(mayHaveActed(kept), failure.code).toBe(true);
    }
  });

  it("leaves the provider's own word after a write reached as it is: a refusal of the write, not of the gateway's side", async () => {
    for (const code of ['NOT_FOUND', 'CONFLICT', 'PROVIDER_ERROR', 'BAD_USER_INPUT'] as const) {
      const refusal = new GatewayError(code, `provider reached answered ${code}`);
      const failed = await afterReachedWrite(refusal);
      expect(failed, code).toBe(refusal);
      expect(mayHaveActed(failed), code).toBe(false);
    }
    const notAnError = await afterReachedWrite('thrown text');
    expect(notAnError).toBe('thrown text');
  });

  it('runs a mutation with no budget as it is: its answer, and its failure unchanged', async () => {
    await expect(failuresAfterWriteKept(undefined, async () => 'answered')).resolves.toBe('answered');
    const refusal = new UpstreamNotSent('reached', 'provider reached is not taking requests');
    await expect(failuresAfterWriteKept(undefined, () => Promise.reject(refusal))).rejects.toBe(refusal);
  });
});
