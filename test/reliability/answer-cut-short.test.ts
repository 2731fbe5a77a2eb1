import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { simulatedKinds } from '../../src/providers/registry.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * A provider that sends its answer's headers and part of its body, then closes the connection
 * (the simulators' `truncated` fault: a Content-Length of 4096, a few bytes, the socket ended).
 * The account is unavailable, as before, but its words must say the answer was cut: "unreachable:
 * a refused connection or a host name that does not resolve" was said of a host that answered.
 */
const QUERY = '{ instances(first: 1000) { providerErrors { provider { id } code message } } }';

interface Answer {
  instances: { providerErrors: Array<{ provider: { id: string }; code: string; message: string }> };
}

describe('a provider closing the connection in the middle of its answer', () => {
  const kinds = simulatedKinds();
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ kinds, configure: withProviderSettings({ retries: 0, breakerThreshold: 1_000 }) });
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    for (const kind of kinds) await harness.simulator(kind).server.clearFault();
  });

  for (const kind of kinds) {
    it(`${kind}: PROVIDER_UNAVAILABLE saying the provider cut its answer, not that it is unreachable`, async () => {
      await harness.simulator(kind).server.setFault({ mode: 'truncated' });
      const answer = await harness.gql<Answer>(QUERY);
      expect(answer.status).toBe(200);
      expect(answer.data!.instances.providerErrors).toEqual([
        {
          provider: { id: harness.providerId(kind) },
          code: 'PROVIDER_UNAVAILABLE',
          message: `provider ${harness.providerId(kind)} closed the connection before its answer was whole (its headers came, not all of its body): a proxy or the provider cut it`,
        },
      ]);
    });
  }
});
