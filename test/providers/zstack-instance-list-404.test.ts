import { describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { withHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * ZStack answers a query 200, or 503 with its error (providers.md): a 404 to the account's whole VM
 * list is the url's mistake whatever its body, as Danube's and OnApp's is
 * (account-url-mistakes.test.ts). The ZStack client read it as a single resource's 404: a web
 * server's page was "has no API at GET /zstack/v1/vm-instances" with health UP, and a JSON error in
 * ZStack's shape was ZStack's own answer (PROVIDER_ERROR with its code, health UP, or for SYS.1003 UP
 * and DEGRADED again at each request). Now either is PROVIDER_ERROR HTTP_404 naming the url, health
 * DEGRADED (OTHER) once, as for the other providers. Over HTTP: the `not-found-page` fault on the
 * list, and the simulator's `vmListNotFound`.
 */
const ERRORS = '{ instances(first: 5) { providerErrors { code message } } }';
const HEALTH = '{ providers { id health healthCause } }';
const URL_MISTAKE = "provider zstack-test answered its instance list with not found (HTTP 404): check the account's url in the config (the API's base URL)";

const healthChanges = (harness: Harness): string[] =>
  harness.logs.filter((line) => line.includes('provider health changed')).map((line) => (JSON.parse(line) as { health: string }).health);

const CASES: Array<[string, (harness: Harness) => Promise<void>]> = [
  ["a web server's HTML page", (harness) => harness.simulator('zstack').server.setFault({ mode: 'not-found-page', onlyLabel: 'GET /zstack/v1/vm-instances' })],
  [
    "ZStack's JSON error shape (SYS.1000)",
    async (harness) => {
      (harness.simulator('zstack').simulator as ZstackSimulator).vmListNotFound = { code: 'SYS.1000', description: 'An internal error happened' };
    },
  ],
  [
    "ZStack's JSON error shape (SYS.1003)",
    async (harness) => {
      (harness.simulator('zstack').simulator as ZstackSimulator).vmListNotFound = { code: 'SYS.1003', description: 'cannot find the resource' };
    },
  ],
];

describe('zstack: the instance list answered 404 is the url\'s mistake, whatever its body', () => {
  it.each(CASES)('%s: PROVIDER_ERROR HTTP_404 naming the url, health DEGRADED (OTHER) without flipping UP between requests', async (_what, misdirect) => {
    await withHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      await misdirect(harness);
      for (let request = 0; request < 2; request++) {
        const answer = await harness.gql<{ instances: { providerErrors: unknown[] } }>(ERRORS);
        expect(answer.data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_ERROR', message: URL_MISTAKE }]);
        expect((await harness.gql(HEALTH)).data).toEqual({ providers: [{ id: 'zstack-test', health: 'DEGRADED', healthCause: 'OTHER' }] });
      }
      expect(healthChanges(harness)).toEqual(['DEGRADED']);
    });
  });
});
