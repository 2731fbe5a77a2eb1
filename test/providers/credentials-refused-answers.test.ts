import { describe, expect, it } from 'vitest';
import type { ProviderKind } from '../../src/providers/registry.js';
import { withHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * A provider answering the gateway's data calls 401 or 403 (the login, where there is one, still
 * taken). The answer said only "provider X refused the gateway's credentials", not who could put
 * it right nor where, and `providers { health }` stayed UP while every call was refused. Now the
 * message names the operator and the account's auth in the config, and health reads DEGRADED until
 * a call is answered again. Through each kind's simulator over HTTP; Zomro answers refusals in its
 * own documents (zomro/client.ts), not by status.
 */
const INSTANCE_LISTS: Record<'onapp' | 'danube' | 'zstack', string> = {
  onapp: 'GET /virtual_machines.json',
  danube: 'GET /vm',
  zstack: 'GET /zstack/v1/vm-instances',
};
const CASES = (Object.keys(INSTANCE_LISTS) as Array<keyof typeof INSTANCE_LISTS>).flatMap((kind) => [401, 403].map((status) => ({ kind, status })));

const READ = '{ instances(first: 5) { providerErrors { provider { id } code message } } providers { id health healthCause } }';
interface Read {
  instances: { providerErrors: Array<{ provider: { id: string }; code: string; message: string }> };
  providers: Array<{ id: string; health: string; healthCause: string | null }>;
}

async function refusedThenAnswered(kind: keyof typeof INSTANCE_LISTS, status: number, check: (refused: Read, again: Read, answered: Read) => void): Promise<void> {
  await withHarness({ kinds: [kind as ProviderKind], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
    const server = harness.simulator(kind as ProviderKind).server;
    await server.setFault({ mode: status === 401 ? 'http-401' : 'http-403', onlyLabel: INSTANCE_LISTS[kind] });
    const refused = await harness.gql<Read>(READ);
    const again = await harness.gql<Read>(READ);
    await server.setFault('none');
    const answered = await harness.gql<Read>(READ);
    check(refused.data!, again.data!, answered.data!);
  });
}

describe("a provider refusing the gateway's credentials on its data calls", () => {
  it.each(CASES)('$kind $status: the answer names who puts it right and where, with the same code', async ({ kind, status }) => {
    await refusedThenAnswered(kind, status, (refused) => {
      const error = refused.instances.providerErrors[0];
      expect(error).toMatchObject({ provider: { id: `${kind}-test` }, code: 'PROVIDER_ERROR' });
      expect(error?.message).toMatch(new RegExp(`^provider ${kind}-test refused the gateway's \\w+ \\(HTTP ${status}\\): `));
      expect(error?.message).toContain("the gateway's operator");
      expect(error?.message).toContain("the account's auth in the config");
    });
  });

  it.each(CASES)('$kind $status: health is DEGRADED while refused, UP once a call is answered', async ({ kind, status }) => {
    await refusedThenAnswered(kind, status, (refused, again, answered) => {
      expect(refused.providers).toEqual([{ id: `${kind}-test`, health: 'DEGRADED', healthCause: 'CREDENTIALS_REFUSED' }]);
      // Refused again: still DEGRADED (a refusal is no answer that clears it).
      expect(again.providers).toEqual([{ id: `${kind}-test`, health: 'DEGRADED', healthCause: 'CREDENTIALS_REFUSED' }]);
      expect(answered.instances.providerErrors).toEqual([]);
      expect(answered.providers).toEqual([{ id: `${kind}-test`, health: 'UP', healthCause: null }]);
    });
  });
});

describe('a ZStack whose login is taken and whose calls are refused', () => {
  it('logs health DEGRADED once for three requests, each renewing its session: the login taken is not the account answering', async () => {
    await withHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      await harness.simulator('zstack').server.setFault({ mode: 'http-401', onlyLabel: INSTANCE_LISTS.zstack });
      for (let n = 0; n < 3; n++) await harness.gql<Read>(READ);
      const healthLines = harness.logs.map((line) => JSON.parse(line) as { msg: string; health?: string; cause?: string }).filter((line) => line.msg === 'provider health changed');
      expect(healthLines.map(({ health, cause }) => ({ health, cause }))).toEqual([{ health: 'DEGRADED', cause: 'credentials' }]);
      expect(harness.simulator('zstack').server.count('PUT /zstack/v1/accounts/login')).toBeGreaterThan(1);
    });
  });
});
