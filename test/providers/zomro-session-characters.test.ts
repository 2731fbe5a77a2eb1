import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZOMRO_SIM_PASSWORD, ZOMRO_SIM_USER, type ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import type { SimulatorServer } from '../../src/simulator/server.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

type Instances = { instances: { edges: Array<{ node: { id: string } }>; providerErrors: Array<{ code: string; message: string }> } };
const LIST = '{ instances(first: 100) { edges { node { id } } providerErrors { code message } } }';

/**
 * Zomro sends its session as `auth=` in a URL-encoded form body, which carries any character.
 * The check that refuses a session no HTTP header can carry (ZStack, Danube) refused Zomro's
 * too: a panel handing out such an id answered every request PROVIDER_ERROR, with a login each.
 */
describe('zomro: a login session with characters no HTTP header carries', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let server: SimulatorServer;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ cacheTtlMs: 0, auth: { username: ZOMRO_SIM_USER, password: ZOMRO_SIM_PASSWORD } }) });
    const running = harness.simulator('zomro');
    simulator = running.simulator as ZomroSimulator;
    server = running.server;
  });
  afterAll(() => harness?.close());

  for (const [name, session] of [
    ['Cyrillic and CJK letters', 'сессия-\u4e00-a7c1e0d2'],
    ['a line break, a NUL and form syntax', 'abc\r\ndef\u0000&auth=x%20y+z'],
  ] as const) {
    it(`${name}: sent in the form as handed out, the session kept`, async () => {
      simulator.expireSessions();
      simulator.nextSessionId = session;
      const loginsBefore = simulator.logins;
      harness.resetUpstreamLogs();
      const first = await harness.gql<Instances>(LIST);
      expect(first.errors).toBeUndefined();
      expect(first.data!.instances.providerErrors).toEqual([]);
      expect(first.data!.instances.edges.length).toBeGreaterThan(0);
      // The simulator knows only the session it handed out: a list answered is one sent with it.
      expect(server.log.some((request) => request.label === 'instances' && request.form.auth === session)).toBe(true);
      const second = await harness.gql<Instances>(LIST);
      expect(second.data!.instances.providerErrors).toEqual([]);
      expect(simulator.logins - loginsBefore).toBe(1);
    });
  }

  it('such a session quoted back in a refusal is redacted, as any session is', async () => {
    const session = 'сессия-\u4e00-5f3e9b1c';
    simulator.expireSessions();
    simulator.nextSessionId = session;
    const list = await harness.gql<Instances>(LIST);
    simulator.forbiddenFuncs.add('instances.fleio_bckps');
    simulator.accessRefusalsQuoteSession = true;
    try {
      const answer = await harness.gql('query($id: ID!) { instance(id: $id) { backups { id } } }', { id: list.data!.instances.edges[0]!.node.id });
      expect(answer.errors?.[0]?.message).toContain('(session [redacted])');
      expect(answer.text).not.toContain('5f3e9b1c');
    } finally {
      simulator.forbiddenFuncs.clear();
      simulator.accessRefusalsQuoteSession = false;
    }
  });
});
