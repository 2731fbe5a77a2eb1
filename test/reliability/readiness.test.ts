import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

const readyStatus = async (harness: Harness): Promise<number> => (await fetch(`${harness.gateway.url}/readyz`)).status;

/** Each account's health as `providers { health }` tells it. */
async function healthOf(harness: Harness): Promise<Record<string, string>> {
  const answer = await harness.gql<{ providers: Array<{ id: string; health: string }> }>('{ providers { id health } }');
  return Object.fromEntries(answer.data!.providers.map((provider) => [provider.id, provider.health]));
}

/**
 * Readiness is the replica's own: every replica reaches the same providers, so
 * taking them all out of rotation while the providers are down routes around
 * nothing (clients got a connection error in place of a typed error, and an
 * unready replica, sent no request, never tested its open breakers again).
 * Provider health is reported on the admin listener's /readyz instead.
 */
describe('/readyz while providers are down', () => {
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

  it('stays ready with one and then every provider down, answering typed errors that say when to ask again', async () => {
    expect(await ready()).toBe(200);
    await breakOpen('zomro');
    expect(await ready()).toBe(200);
    await breakOpen('onapp');
    expect(await health()).toEqual({ 'zomro-test': 'DOWN', 'onapp-test': 'DOWN' });
    expect(await ready()).toBe(200);
    // The admin listener's /readyz says what is down, and why, while the replica stays in rotation.
    const detailed = await fetch(`${harness.gateway.adminUrl}/readyz`);
    expect(detailed.status).toBe(200);
    expect(((await detailed.json()) as { providers: Array<{ id: string; health: string; breaker: string; cause?: string }> }).providers).toEqual([
      expect.objectContaining({ id: 'zomro-test', health: 'DOWN', breaker: 'open', cause: 'http_5xx' }),
      expect.objectContaining({ id: 'onapp-test', health: 'DOWN', breaker: 'open', cause: 'http_5xx' }),
    ]);
    const answer = await harness.gql<{ instances: { providerErrors: Array<{ code: string; retryAfterSeconds: number | null }> } }>('{ instances { totalCount providerErrors { code retryAfterSeconds } } }');
    expect(answer.data?.instances.providerErrors.map((error) => error.code)).toEqual(['PROVIDER_UNAVAILABLE', 'PROVIDER_UNAVAILABLE']);
    for (const error of answer.data?.instances.providerErrors ?? []) expect(error.retryAfterSeconds).toBeGreaterThan(0);
  });
});
