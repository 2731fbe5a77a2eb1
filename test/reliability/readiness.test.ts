import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

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

  const ready = async () => (await fetch(`${harness.gateway.url}/readyz`)).status;
  const health = async () => {
    const answer = await harness.gql<{ providers: Array<{ id: string; health: string }> }>('{ providers { id health } }');
    return Object.fromEntries(answer.data!.providers.map((provider) => [provider.id, provider.health]));
  };
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
