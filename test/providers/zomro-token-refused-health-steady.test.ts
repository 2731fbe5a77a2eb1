import { describe, expect, it } from 'vitest';
import { withHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * A Zomro account whose fixed session token the panel refuses: BILLmanager answers the refusal in a
 * 200 document (`access`), and the keepalive that asks why answers `access` too. Each answered 200,
 * so health read UP between the answer and the adapter saying the token was refused, and a replica
 * logged `provider health changed` UP then DEGRADED at every request (by hand, 2026-12-07: a rolled
 * replica given a wrong token in its ZOMRO_SESSION_FILE logged four UP lines for four reads), and a
 * scrape in between read backup_graph_upstream_credentials_refused 0.
 */
const healthChanges = (harness: Harness): string[] =>
  harness.logs.filter((line) => line.includes('provider health changed')).map((line) => (JSON.parse(line) as { health: string }).health);

const READ = '{ instances(first: 5) { providerErrors { code } } }';

describe('a Zomro token the panel refuses', () => {
  it('reads DEGRADED once, and never UP again while every read is refused', async () => {
    await withHarness({ kinds: ['zomro'], configure: withProviderSettings({ auth: { token: 'not-the-zomro-token-61c0' }, cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      for (let read = 0; read < 3; read++) {
        const answer = await harness.gql<{ instances: { providerErrors: Array<{ code: string }> } }>(READ);
        expect(answer.data?.instances.providerErrors.map((error) => error.code)).toEqual(['PROVIDER_ERROR']);
      }
      expect(healthChanges(harness)).toEqual(['DEGRADED']);
    });
  });
});
