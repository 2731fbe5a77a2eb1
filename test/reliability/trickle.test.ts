import { afterEach, describe, expect, it } from 'vitest';
import { breakerClock, realClock } from '../helpers/breaker-clock.js';
import { eventually, type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * A provider that sends its headers at once and then its body one byte at a
 * time never trips an idle timer: only a deadline over the whole attempt
 * stops it. And a client that leaves must not leave upstream requests (and
 * their sockets) behind.
 */
const INSTANCES = '{ instances { edges { node { id } } providerErrors { code message } } }';

/** Far longer than the test: the half-open test comes only when breakerClock() moves past it. */
const HALF_OPEN_AFTER_MS = 600_000;

interface Answer {
  instances: { edges: unknown[]; providerErrors: Array<{ code: string; message: string }> };
}

interface Ready {
  status: string;
  providers: Array<{ id: string; health: string; breaker: string; cause?: string }>;
}

describe('one deadline per upstream attempt; a departed client cancels its upstream reads', () => {
  let harness: Harness;
  afterEach(async () => {
    realClock();
    await harness.close();
  });

  const start = (overrides: Record<string, unknown>) =>
    startHarness({ kinds: ['zomro'], configure: withProviderSettings(overrides) });

  const readyz = async (): Promise<Ready> => (await fetch(`${harness.gateway.adminUrl}/readyz`)).json() as Promise<Ready>;

  it('a trickled body fails with PROVIDER_TIMEOUT at timeoutMs, and the gateway closes the upstream connection', async () => {
    harness = await start({ timeoutMs: 500, retries: 0 });
    const server = harness.simulator('zomro').server;
    // A byte every 100 ms: each chunk comes well within any idle timer of 500 ms.
    await server.setFault({ mode: 'trickle', trickleIntervalMs: 100 });
    harness.resetUpstreamLogs();
    const answer = await harness.gql<Answer>(INSTANCES);
    expect(answer.data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_TIMEOUT', message: expect.any(String) }]);
    expect(server.count()).toBe(1);
    // The simulator sees its answer abandoned half-way: the gateway let go of the socket.
    await eventually(async () => server.abandoned, (abandoned) => abandoned === 1, { timeoutMs: 5_000 });
    expect((await readyz()).providers[0]).toMatchObject({ health: 'DEGRADED', cause: 'timeout' });
  });

  it('trickling answers do not jam the account: every slot is freed at its deadline and the next read succeeds', async () => {
    // coalesceReads off: each of these identical reads must take its own slot (issue 14 would share one flight).
    harness = await start({ timeoutMs: 400, retries: 0, maxConcurrency: 2, breakerThreshold: 1_000, coalesceReads: false });
    const server = harness.simulator('zomro').server;
    await server.setFault({ mode: 'trickle', trickleIntervalMs: 100 });
    harness.resetUpstreamLogs();
    // More reads than slots: three of them wait for a slot that only a deadline frees.
    const answers = await Promise.all(Array.from({ length: 5 }, () => harness.gql<Answer>(INSTANCES)));
    expect(answers.map((answer) => answer.data?.instances.providerErrors.map((error) => error.code))).toEqual(Array(5).fill(['PROVIDER_TIMEOUT']));
    expect(server.maxInFlight).toBeLessThanOrEqual(2);
    await eventually(async () => server.abandoned, (abandoned) => abandoned === 5, { timeoutMs: 5_000 });
    await server.clearFault();
    const after = await harness.gql<Answer>(INSTANCES);
    expect(after.data?.instances.providerErrors).toEqual([]);
    expect(after.data?.instances.edges.length).toBeGreaterThan(0);
  });

  it('repeated trickles open the breaker; the account recovers once the provider answers again', async () => {
    harness = await start({ timeoutMs: 300, retries: 0, breakerThreshold: 3, breakerHalfOpenAfterMs: HALF_OPEN_AFTER_MS });
    const clock = breakerClock();
    const server = harness.simulator('zomro').server;
    await server.setFault({ mode: 'trickle', trickleIntervalMs: 50 });
    for (let index = 0; index < 3; index++) {
      const answer = await harness.gql<Answer>(INSTANCES);
      expect(answer.data?.instances.providerErrors.map((error) => error.code)).toEqual(['PROVIDER_TIMEOUT']);
    }
    const refused = await harness.gql<Answer>(INSTANCES);
    expect(refused.data?.instances.providerErrors[0]?.message).toContain('circuit open');
    // Reported on the admin listener; readiness is the replica's own (test/reliability/readiness.test.ts).
    const ready = await fetch(`${harness.gateway.adminUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as Ready).providers[0]).toMatchObject({ health: 'DOWN', breaker: 'open', cause: 'timeout' });

    await server.clearFault();
    // Open until its half-open test, which the moved clock lets through: that read closes it.
    expect((await harness.gql<Answer>(INSTANCES)).data?.instances.providerErrors[0]?.message).toContain('circuit open');
    clock.pass(HALF_OPEN_AFTER_MS);
    expect((await harness.gql<Answer>(INSTANCES)).data?.instances.providerErrors).toEqual([]);
    expect((await readyz()).providers[0]).toEqual({ id: 'zomro-test', kind: 'zomro', health: 'UP', breaker: 'closed' });
  });

  it('a client that disconnects mid-request cancels its upstream read: the connection closes, no retry, no failure counted', async () => {
    // Without cancellation this read would hold its upstream socket for 10 s and then be retried twice.
    harness = await start({ timeoutMs: 10_000, retries: 2 });
    const server = harness.simulator('zomro').server;
    await server.setFault({ mode: 'trickle', trickleIntervalMs: 200 });
    harness.resetUpstreamLogs();

    const client = new AbortController();
    const pending = fetch(harness.gateway.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: INSTANCES }),
      signal: client.signal,
    }).catch((error: unknown) => error);
    await eventually(async () => server.count(), (count) => count === 1, { timeoutMs: 5_000, intervalMs: 10 });
    client.abort();
    expect(await pending).toMatchObject({ name: 'AbortError' });

    await eventually(async () => server.abandoned, (abandoned) => abandoned === 1, { timeoutMs: 5_000 });
    const cancelled = await eventually(
      async () => harness.logs.map((line) => JSON.parse(line) as { msg?: string; outcome?: string }).find((line) => line.msg === 'upstream request'),
      (line) => line !== undefined,
      { timeoutMs: 5_000 },
    );
    expect(cancelled?.outcome).toBe('cancelled');
    // Not retried, and the provider is not blamed for it.
    expect(server.count()).toBe(1);
    expect((await readyz()).providers[0]).toMatchObject({ health: 'UP', breaker: 'closed' });
  });

  it('a client that disconnects while its read waits for a concurrency slot leaves the queue at once', async () => {
    // coalesceReads off: the second identical read must queue for the slot, not join the first's flight.
    harness = await start({ timeoutMs: 10_000, retries: 0, maxConcurrency: 1, coalesceReads: false });
    const server = harness.simulator('zomro').server;
    await server.setFault({ mode: 'trickle', trickleIntervalMs: 200 });
    harness.resetUpstreamLogs();
    const post = (signal: AbortSignal) =>
      fetch(harness.gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: INSTANCES }), signal }).catch(
        (error: unknown) => error,
      );
    const outcomes = () =>
      harness.logs.map((line) => JSON.parse(line) as { msg?: string; outcome?: string }).filter((line) => line.msg === 'upstream request').map((line) => line.outcome);

    // The first read holds the only slot (its answer trickles for seconds); the second waits behind it.
    const holder = new AbortController();
    const first = post(holder.signal);
    await eventually(async () => server.count(), (count) => count === 1, { timeoutMs: 5_000, intervalMs: 10 });
    const waiter = new AbortController();
    const second = post(waiter.signal);
    await eventually(async () => harness.logs.some((line) => line.includes('upstream request waits for a slot')), (queued) => queued, { timeoutMs: 5_000, intervalMs: 10 });
    waiter.abort();
    await second;
    await eventually(async () => outcomes(), (seen) => seen.includes('cancelled'), { timeoutMs: 3_000 });
    // It left the queue while the first still held the slot, and never reached the provider.
    expect(server.count()).toBe(1);
    expect(server.abandoned).toBe(0);
    holder.abort();
    await first;
    await eventually(async () => server.abandoned, (abandoned) => abandoned === 1, { timeoutMs: 5_000 });
  });
});
