import { afterEach, describe, expect, it } from 'vitest';
import { errorCodes, eventually, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

const INSTANCES = '{ instances { edges { node { id } } providerErrors { code message } } }';

describe('upstream policy (zomro as the example; the policy is shared by every provider)', () => {
  let harness: Harness;
  afterEach(() => harness.close());

  const start = (overrides: Record<string, unknown>) =>
    startHarness({ kinds: ['zomro'], configure: withProviderSettings(overrides) });

  // How long it waits (Retry-After, capped) is shown on a fake clock in test/unit/retry-after.test.ts.
  it('retries a read after a 429: the rate-limited attempt, then the one that answers', async () => {
    harness = await start({ retries: 2 });
    await harness.simulator('zomro').server.setFault({ mode: 'rate-limit', retryAfterSeconds: 1, times: 1 });
    const answer = await harness.gql<{ instances: { edges: unknown[]; providerErrors: unknown[] } }>(INSTANCES);
    expect(answer.data?.instances.providerErrors).toEqual([]);
    expect(answer.data?.instances.edges.length).toBeGreaterThan(0);
    expect(harness.simulator('zomro').server.count()).toBe(2);
    const attempts = harness.logs
      .map((line) => JSON.parse(line) as { msg?: string; cause?: string; outcome?: string })
      .filter((line) => line.msg === 'upstream attempt failed' || line.msg === 'upstream request')
      .map((line) => line.cause ?? line.outcome);
    expect(attempts).toEqual(['rate_limited', 'ok']);
  });

  it('hands the provider\'s Retry-After to the client when a write is rate limited (writes are not retried)', async () => {
    harness = await start({ retries: 2 });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(INSTANCES);
    await harness.simulator('zomro').server.setFault({ mode: 'rate-limit', retryAfterSeconds: 7, onlyLabel: 'instances.fleio_bckps.edit' });
    const answer = await harness.gql('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', {
      input: { instanceId: list.data!.instances.edges[2]!.node.id, name: 'rate-limited' },
    });
    expect(errorCodes(answer)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ provider: 'zomro-test', retryAfterSeconds: 7 });
    expect(harness.simulator('zomro').server.count('instances.fleio_bckps.edit')).toBe(1);
  });

  it("names the provider's Retry-After in a list's providerErrors when a read stays rate limited (errors as data)", async () => {
    harness = await start({ retries: 0 });
    await harness.simulator('zomro').server.setFault({ mode: 'rate-limit', retryAfterSeconds: 9 });
    const answer = await harness.gql<{ instances: { providerErrors: Array<{ code: string; retryAfterSeconds: number | null }> } }>(
      '{ instances { providerErrors { code retryAfterSeconds } } }',
    );
    expect(answer.data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_UNAVAILABLE', retryAfterSeconds: 9 }]);
    // A failure that says nothing of when to come back reads null.
    await harness.simulator('zomro').server.setFault('http-503');
    const other = await harness.gql<{ instances: { providerErrors: Array<{ code: string; retryAfterSeconds: number | null }> } }>(
      '{ instances { providerErrors { code retryAfterSeconds } } }',
    );
    expect(other.data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_UNAVAILABLE', retryAfterSeconds: null }]);
  });

  it('retries a read after a 5xx, and gives up with PROVIDER_UNAVAILABLE after `retries`', async () => {
    harness = await start({ retries: 2 });
    await harness.simulator('zomro').server.setFault('http-503');
    const answer = await harness.gql<{ instances: { providerErrors: Array<{ code: string }> } }>(INSTANCES);
    expect(answer.data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_UNAVAILABLE', message: expect.any(String) }]);
    expect(harness.simulator('zomro').server.count()).toBe(3);
  });

  it('never retries a write: one create call even when the provider answers 503', async () => {
    harness = await start({ retries: 3 });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(INSTANCES);
    await harness.simulator('zomro').server.setFault({ mode: 'http-503', onlyLabel: 'instances.fleio_bckps.edit' });
    const answer = await harness.gql('mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }', {
      input: { instanceId: list.data!.instances.edges[2]!.node.id, name: 'once-only' },
    });
    expect(errorCodes(answer)).toEqual(['PROVIDER_UNAVAILABLE']);
    expect(harness.simulator('zomro').server.count('instances.fleio_bckps.edit')).toBe(1);
  });

  it('times out a slow provider with PROVIDER_TIMEOUT', async () => {
    harness = await start({ timeoutMs: 200, retries: 0 });
    const server = harness.simulator('zomro').server;
    await server.setFault({ mode: 'slow', slowMs: 10_000 });
    const answer = await harness.gql<{ instances: { providerErrors: Array<{ code: string }> } }>(INSTANCES);
    expect(answer.data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_TIMEOUT', message: expect.any(String) }]);
    // Answered while the provider still holds its one attempt, which the gateway hung up on.
    expect(server.inFlight).toBe(1);
    await eventually(() => Promise.resolve(server.abandoned), (abandoned) => abandoned === 1);
  });

  it('opens the breaker after repeated failures: requests are refused at once, health and /readyz show it', async () => {
    harness = await start({ retries: 0, breakerThreshold: 3, breakerHalfOpenAfterMs: 60_000 });
    await harness.simulator('zomro').server.setFault('http-500');
    for (let index = 0; index < 3; index++) await harness.gql(INSTANCES);
    const before = harness.simulator('zomro').server.count();
    const answer = await harness.gql<{ instances: { providerErrors: Array<{ code: string; message: string }> }; providers: Array<{ health: string }> }>(
      `{ instances { providerErrors { code message } } providers { health } }`,
    );
    expect(answer.data?.instances.providerErrors[0]).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', message: expect.stringContaining('circuit open') });
    expect(answer.data?.providers).toEqual([{ health: 'DOWN' }]);
    expect(harness.simulator('zomro').server.count()).toBe(before);
    // Reported on the admin listener; readiness is the replica's own (test/reliability/readiness.test.ts).
    const ready = await fetch(`${harness.gateway.adminUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ providers: [{ id: 'zomro-test', health: 'DOWN', breaker: 'open' }] });
  });

  it('an open breaker says when it lets a request through again: retryAfterSeconds in providerErrors and on an error', async () => {
    harness = await start({ retries: 0, breakerThreshold: 3, breakerHalfOpenAfterMs: 60_000 });
    const list = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(INSTANCES);
    const id = list.data!.instances.edges[0]!.node.id;
    await harness.simulator('zomro').server.setFault('http-500');
    for (let index = 0; index < 3; index++) await harness.gql(INSTANCES);
    const answer = await harness.gql<{ instances: { providerErrors: Array<{ code: string; retryAfterSeconds: number | null }> }; instance: unknown }>(
      'query($id: ID!) { instances { providerErrors { code retryAfterSeconds } } instance(id: $id) { id } }',
      { id },
    );
    // Before, both said nothing of when: a dashboard could only poll a provider the gateway knew was down for a minute.
    const [failure] = answer.data!.instances.providerErrors;
    expect(failure).toMatchObject({ code: 'PROVIDER_UNAVAILABLE', retryAfterSeconds: expect.any(Number) });
    expect(failure!.retryAfterSeconds).toBeGreaterThanOrEqual(50);
    expect(failure!.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(answer.errors?.map((error) => [error.path, error.extensions?.code, error.extensions?.provider])).toEqual([[['instance'], 'PROVIDER_UNAVAILABLE', 'zomro-test']]);
    expect(answer.errors?.[0]?.extensions?.retryAfterSeconds).toBe(failure!.retryAfterSeconds);
  });

  it('caps concurrent upstream requests at maxConcurrency', async () => {
    harness = await startHarness({
      kinds: ['zomro'],
      simulator: { instances: 40, latencyMs: 20 },
      configure: withProviderSettings({ maxConcurrency: 3 }),
    });
    harness.resetUpstreamLogs();
    const answer = await harness.gql('{ instances(first: 100) { edges { node { backups { id } schedules { id } } } } }');
    expect(answer.errors).toBeUndefined();
    const server = harness.simulator('zomro').server;
    expect(server.count()).toBeGreaterThan(40);
    expect(server.maxInFlight).toBeLessThanOrEqual(3);
  });
});
