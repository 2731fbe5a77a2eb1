import { describe, expect, it } from 'vitest';
import { ZOMRO_SIM_PASSWORD, ZOMRO_SIM_USER } from '../../src/providers/zomro/simulator.js';
import { dashboardNodes } from '../helpers/dashboard.js';
import { errorCodes, withHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * A call BILLmanager refuses for its own reasons (`exists`: a backup of that name is there) says
 * nothing of the credentials: health stays UP, for an account that logs in (a session) and for one
 * with a fixed token alike. Only an `access` or `auth` refusal right after a fresh login reads
 * CREDENTIALS_REFUSED (zomro-login-health).
 */
const HEALTH = '{ providers { id health healthCause } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id } } }';

describe("zomro: a refusal that is not the credentials'", () => {
  for (const [account, settings] of [
    ['a session', { auth: { username: ZOMRO_SIM_USER, password: ZOMRO_SIM_PASSWORD } }],
    ['a fixed token', {}],
  ] as const) {
    it(`leaves health UP after an exists refusal, with ${account}`, async () => {
      await withHarness({ kinds: ['zomro'], configure: withProviderSettings({ ...settings, cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
        const node = (await dashboardNodes(harness)).find((candidate) => candidate.backups.length > 0)!;
        const repeated = await harness.gql(CREATE, { input: { instanceId: node.id, name: node.backups[0]!.name } });
        expect(errorCodes(repeated)).toEqual(['CONFLICT']);
        expect((await harness.gql(HEALTH)).data).toEqual({ providers: [{ id: 'zomro-test', health: 'UP', healthCause: null }] });
      });
    });
  }
});
