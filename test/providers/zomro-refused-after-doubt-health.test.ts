import { describe, expect, it } from 'vitest';
import { ZOMRO_SIM_PASSWORD, ZOMRO_SIM_USER, type ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { withHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * Guard (passes on the code as it is): a func refused `access` to a fresh session where the
 * keepalive got no answer (503) is no refusal of the credentials. The session was renewed on doubt
 * alone, and nothing said it was dead: health must not read CREDENTIALS_REFUSED, which sends an
 * operator to credentials that work. docs/providers.md says so ("not where the keepalive got no
 * answer"); no test did: `!keepaliveCouldNotTell` taken out of zomro/client.ts, every Zomro test
 * passed. Over HTTP: `forbiddenFuncs` refuses the backup list to a live session, and the keepalive
 * answers 503.
 */
const LIST = '{ instances(first: 100) { edges { node { id } } } }';
const BACKUPS = 'query($id: ID!) { instance(id: $id) { backups { id } } }';
const HEALTH = '{ providers { id health healthCause } }';
type Health = { providers: Array<{ id: string; health: string; healthCause: string | null }> };

describe('zomro: a session refused after a keepalive without an answer', () => {
  it('guard: fails the read "right after a fresh login", health DEGRADED SERVER_ERROR (the keepalive\'s 503), not CREDENTIALS_REFUSED', async () => {
    const auth = { username: ZOMRO_SIM_USER, password: ZOMRO_SIM_PASSWORD };
    await withHarness({ kinds: ['zomro'], configure: withProviderSettings({ cacheTtlMs: 0, coalesceReads: false, retries: 0, breakerThreshold: 1_000, auth }) }, async (harness) => {
      const { simulator, server } = harness.simulator('zomro');
      const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(LIST);
      const id = listed.data!.instances.edges[0]!.node.id;
      (simulator as ZomroSimulator).forbiddenFuncs.add('instances.fleio_bckps');
      await server.setFault({ mode: 'http-503', onlyLabel: 'keepalive' });
      const answer = await harness.gql(BACKUPS, { id });
      expect(answer.errors?.[0]?.message).toMatch(/refused the gateway's session right after a fresh login/);
      // The keepalive's 503 is what health last heard: the panel's server failing, not the credentials.
      expect((await harness.gql<Health>(HEALTH)).data?.providers).toEqual([{ id: 'zomro-test', health: 'DEGRADED', healthCause: 'SERVER_ERROR' }]);
    });
  });
});
