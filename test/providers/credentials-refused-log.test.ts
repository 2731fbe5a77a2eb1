import { describe, expect, it } from 'vitest';
import { ZOMRO_SIM_TOKEN } from '../../src/providers/zomro/simulator.js';
import { withHarness, withProviderSettings, type ConfigChange, type Harness } from '../helpers/harness.js';

/**
 * A provider refusing the configured credentials themselves (an OnApp API key, a Danube API key,
 * a Zomro token: nothing the gateway can log in with again) refuses every request, and only the
 * answers said so: the log was silent and health stayed UP. One warn line per account per 30 s
 * now names the account and where to look, never the credential.
 */
const CASES: Array<{ kind: 'onapp' | 'danube' | 'zomro' | 'zstack'; wrong: string; configure: (wrong: string) => ConfigChange }> = [
  { kind: 'onapp', wrong: 'not-the-onapp-key-51ac', configure: (wrong) => withProviderSettings({ auth: { username: 'sim-ops@example.com', password: wrong } }, 'onapp') },
  { kind: 'danube', wrong: 'not-the-danube-key-0be7', configure: (wrong) => withProviderSettings({ auth: { apiKey: wrong } }, 'danube') },
  { kind: 'zomro', wrong: 'not-the-zomro-token-9d3f', configure: (wrong) => withProviderSettings({ auth: { token: wrong } }, 'zomro') },
  // A fixed sessionId no login renews: refused (503 ID.1001, again after the renewal), it was answered and never logged.
  { kind: 'zstack', wrong: 'not-the-zstack-session-61e2', configure: (wrong) => withProviderSettings({ auth: { sessionId: wrong } }, 'zstack') },
];

const refusalLines = (harness: Harness) =>
  harness.logs.map((line) => JSON.parse(line) as { level: number; msg: string; provider?: string; alsoRefusedSinceLastLine?: number }).filter((line) => line.msg.includes("refused the gateway's configured credentials"));

describe("a provider refusing the gateway's configured credentials is logged", () => {
  it.each(CASES)('$kind: one warn line for three refused requests, naming the account, never the credential', async ({ kind, wrong, configure }) => {
    await withHarness({ kinds: [kind], configure: [withProviderSettings({ cacheTtlMs: 0 }), configure(wrong)] }, async (harness) => {
      for (let n = 0; n < 3; n++) {
        const answer = await harness.gql<{ instances: { providerErrors: Array<{ code: string }> } }>('{ instances(first: 5) { providerErrors { code } } }');
        expect(answer.data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_ERROR' }]);
      }
      const lines = refusalLines(harness);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 40, provider: `${kind}-test`, alsoRefusedSinceLastLine: 0 });
      for (const line of harness.logs) expect(line).not.toContain(wrong);
    });
  });

  it('is not logged for good credentials', async () => {
    await withHarness({ kinds: ['zomro'], configure: withProviderSettings({ auth: { token: ZOMRO_SIM_TOKEN } }, 'zomro') }, async (harness) => {
      const answer = await harness.gql<{ instances: { providerErrors: unknown[] } }>('{ instances(first: 5) { providerErrors { code } } }');
      expect(answer.data?.instances.providerErrors).toEqual([]);
      expect(refusalLines(harness)).toEqual([]);
    });
  });
});
