import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

const readyStatus = async (harness: Harness): Promise<number> => (await fetch(`${harness.gateway.url}/readyz`)).status;

/** Each account's health as `providers { health }` tells it. */
async function healthOf(harness: Harness): Promise<Record<string, string>> {
  const answer = await harness.gql<{ providers: Array<{ id: string; health: string }> }>('{ providers { id health } }');
  return Object.fromEntries(answer.data!.providers.map((provider) => [provider.id, provider.health]));
}

/**
 * With partial results the gateway is useful while any provider answers:
 * /readyz fails only when every provider's breaker is open.
 */
describe('/readyz with two providers', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro', 'onapp'],
      configure: withProviderSettings({ retries: 0, breakerThreshold: 2, breakerHalfOpenAfterMs: 600_000 }),
    });
  });
  afterAll(() => harness.close());

  const ready = () => readyStatus(harness);
  const health = () => healthOf(harness);
  /** Fails the provider until its breaker opens. */
  const breakOpen = async (kind: 'zomro' | 'onapp') => {
    await harness.simulator(kind).server.setFault('http-500');
    for (let attempt = 0; attempt < 2; attempt++) await harness.gql(`{ instances(providerId: "${kind}-test") { totalCount } }`);
    expect((await health())[`${kind}-test`]).toBe('DOWN');
  };

  it('is ready while one of two providers is down, and not once both are', async () => {
    expect(await ready()).toBe(200);
    await breakOpen('zomro');
    expect(await health()).toMatchObject({ 'zomro-test': 'DOWN', 'onapp-test': expect.not.stringMatching(/^DOWN$/) });
    expect(await ready()).toBe(200);
    await breakOpen('onapp');
    expect(await ready()).toBe(503);
  });
});

/**
 * An open breaker lets a test request through once its half-open time has
 * passed, but only a request makes it do so. Unready while every breaker
 * was open, a replica got no request (HAProxy and Kubernetes send none to
 * an unready one), so its breakers stayed open and it stayed unready after
 * the providers came back: every replica, for good, once all providers had
 * been down together.
 */
describe('/readyz after every provider was down', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro', 'onapp'],
      configure: withProviderSettings({ retries: 0, breakerThreshold: 2, breakerHalfOpenAfterMs: 300 }),
    });
  });
  afterAll(() => harness.close());

  const ready = () => readyStatus(harness);
  const health = () => healthOf(harness);

  it('is ready again, with no request in between, once an open breaker would let a test through', async () => {
    for (const kind of ['zomro', 'onapp'] as const) await harness.simulator(kind).server.setFault('http-500');
    for (let attempt = 0; attempt < 2; attempt++) await harness.gql('{ instances { totalCount } }');
    expect(await health()).toEqual({ 'zomro-test': 'DOWN', 'onapp-test': 'DOWN' });
    expect(await ready()).toBe(503);
    for (const kind of ['zomro', 'onapp'] as const) await harness.simulator(kind).server.clearFault();
    // Only /readyz is asked from here on: no GraphQL request would test the breakers.
    const deadline = Date.now() + 10_000;
    let status = await ready();
    while (status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = await ready();
    }
    expect(status).toBe(200);
    // Ready, it is sent requests again, and the first one closes the breaker it tests.
    expect((await harness.gql<{ instances: { totalCount: number; providerErrors: Array<{ code: string }> } }>('{ instances { totalCount providerErrors { code } } }')).data?.instances.providerErrors).toEqual([]);
  });
});
