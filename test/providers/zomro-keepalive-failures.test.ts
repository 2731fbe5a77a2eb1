import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ZOMRO_SIM_PASSWORD, ZOMRO_SIM_TOKEN, ZOMRO_SIM_USER, type ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import type { FaultMode } from '../../src/simulator/faults.js';
import type { SimulatorServer } from '../../src/simulator/server.js';
import { errorCodes, eventually, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * func=keepalive only asks whether the session that met an `access` refusal is still live.
 * A keepalive that got no answer (5xx, a cut connection, a timeout) failed the user's request
 * with its own error; with a login the gateway now reads the session as dead and logs in again,
 * and only a failing login fails the request. A fixed token cannot be renewed: there the
 * keepalive's failure stays the error.
 */

const BACKUPS = 'query($id: ID!) { instance(id: $id) { backups { id } } }';
const LIST = '{ instances(first: 100) { edges { node { id } } } }';
// Every read reaches the simulator; a short deadline so a keepalive that never answers times out; no breaker trips.
const settings = { cacheTtlMs: 0, coalesceReads: false, timeoutMs: 400, retries: 1, breakerThreshold: 1_000 };
/** The keepalive's failures: 5xx, a cut connection, a body that is no JSON or no BILLmanager document, no answer in time. */
const FAILURES: ReadonlyArray<{ mode: FaultMode; slowMs?: number }> = [{ mode: 'http-503' }, { mode: 'http-500' }, { mode: 'truncated' }, { mode: 'html-error' }, { mode: 'malformed-json' }, { mode: 'wrong-content-type' }, { mode: 'slow', slowMs: 1_000 }];

async function open(auth: Record<string, string>) {
  const harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ ...settings, auth }) });
  const running = harness.simulator('zomro');
  const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(LIST);
  expect(answer.errors).toBeUndefined();
  return { harness, simulator: running.simulator as ZomroSimulator, server: running.server, ids: answer.data!.instances.edges.map((edge) => edge.node.id) };
}

const sent = (server: SimulatorServer, func: string) => server.log.filter((request) => request.label === func);
/** Every session id the simulator handed out or was sent. */
const sessionsSeen = (simulator: ZomroSimulator, server: SimulatorServer) => new Set([...simulator.sessions.keys(), ...server.log.map((request) => request.form.auth ?? '')].filter((id) => id.length >= 8));

describe('zomro with a login: a keepalive that fails', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let server: SimulatorServer;
  let ids: string[];
  beforeAll(async () => {
    ({ harness, simulator, server, ids } = await open({ username: ZOMRO_SIM_USER, password: ZOMRO_SIM_PASSWORD }));
  });
  afterAll(() => harness.close());
  beforeEach(async () => {
    simulator.refusesLogins = false;
    await server.clearFault();
    harness.resetUpstreamLogs();
  });

  it.each(FAILURES)('($mode) is read as a dead session: one fresh login, and the read succeeds', async (fault) => {
    simulator.expireSessions();
    await server.setFault({ ...fault, onlyLabel: 'keepalive' });
    const before = simulator.logins;
    const answer = await harness.gql(BACKUPS, { id: ids[2]! });
    expect(answer.errors).toBeUndefined();
    expect(simulator.logins - before).toBe(1);
    // A keepalive the gateway stopped waiting for is logged once the simulator has answered it.
    await eventually(async () => sent(server, 'keepalive').length, (count) => count >= 1, { timeoutMs: 3_000 });
    for (const text of [answer.text, ...harness.logs]) {
      expect(text).not.toContain(ZOMRO_SIM_PASSWORD);
      for (const session of sessionsSeen(simulator, server)) expect(text).not.toContain(session);
    }
  });

  it('a live session whose keepalive fails is logged in again too: the refused right is then told by the fresh session', async () => {
    simulator.forbiddenFuncs.add('instances.fleio_bckps');
    try {
      await server.setFault({ mode: 'http-503', onlyLabel: 'keepalive', times: 2 });
      const before = simulator.logins;
      const answer = await harness.gql(BACKUPS, { id: ids[2]! });
      expect(errorCodes(answer)).toEqual(['PROVIDER_ERROR']);
      expect(answer.errors?.[0]?.message).toMatch(/refused instances\.fleio_bckps to the gateway's account, whose session is live/);
      expect(simulator.logins - before).toBe(1);
    } finally {
      simulator.forbiddenFuncs.clear();
    }
  });

  it('many requests at once meeting a dead session with a failing keepalive share one fresh login, not one each', async () => {
    simulator.expireSessions();
    await server.setFault({ mode: 'http-503', onlyLabel: 'keepalive' });
    const before = simulator.logins;
    const answers = await Promise.all(Array.from({ length: 8 }, (_, n) => harness.gql(BACKUPS, { id: ids[n % ids.length]! })));
    expect(answers.map((answer) => answer.errors)).toEqual(answers.map(() => undefined));
    expect(simulator.logins - before).toBe(1);
  });

  it('requests one after another to a function the account may not use, with the keepalive failing, log in once, not once each', async () => {
    simulator.forbiddenFuncs.add('instances.fleio_bckps');
    try {
      await server.setFault({ mode: 'http-503', onlyLabel: 'keepalive' });
      const before = simulator.logins;
      const first = await harness.gql(BACKUPS, { id: ids[2]! });
      expect(first.errors?.[0]?.message).toMatch(/refused the gateway's session right after a fresh login/);
      expect(simulator.logins - before).toBe(1);
      // The fresh session was refused too: the keepalive's failure is now the error, no login.
      for (let n = 0; n < 3; n++) expect(errorCodes(await harness.gql(BACKUPS, { id: ids[2]! }))).toEqual(['PROVIDER_UNAVAILABLE']);
      expect(simulator.logins - before).toBe(1);
      // Once the keepalive answers again, it tells the refused right as before.
      await server.clearFault();
      expect((await harness.gql(BACKUPS, { id: ids[2]! })).errors?.[0]?.message).toMatch(/whose session is live/);
      expect(simulator.logins - before).toBe(1);
    } finally {
      simulator.forbiddenFuncs.clear();
    }
  });

  it("when the login fails too, the login's failure is the request's error, without credentials", async () => {
    simulator.expireSessions();
    simulator.refusesLogins = true;
    await server.setFault({ mode: 'http-503', onlyLabel: 'keepalive' });
    const answer = await harness.gql(BACKUPS, { id: ids[2]! });
    expect(errorCodes(answer)).toEqual(['PROVIDER_ERROR']);
    expect(answer.errors?.[0]?.message).toBe("provider zomro-test refused the gateway's login: Authorization failed");
    expect(sent(server, 'auth').length).toBeGreaterThanOrEqual(1);
    for (const text of [answer.text, ...harness.logs]) {
      expect(text).not.toContain(ZOMRO_SIM_PASSWORD);
      expect(text).not.toContain(ZOMRO_SIM_USER);
      for (const session of sessionsSeen(simulator, server)) expect(text).not.toContain(session);
    }
  });
});

describe('zomro with a fixed token: a keepalive that fails', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let server: SimulatorServer;
  beforeAll(async () => {
    ({ harness, simulator, server } = await open({ token: ZOMRO_SIM_TOKEN }));
  });
  afterAll(() => harness.close());

  it('stays the error (the provider did not answer): a token that may be fine is not called expired', async () => {
    simulator.expireSessions();
    await server.setFault({ mode: 'http-503', onlyLabel: 'keepalive' });
    const answer = await harness.gql<{ instances: { providerErrors: Array<{ code: string; message: string }> } }>('{ instances { providerErrors { code message } } }');
    expect(answer.data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_UNAVAILABLE', message: 'provider zomro-test answered HTTP 503' }]);
    expect(simulator.logins).toBe(0);
    for (const text of [answer.text, ...harness.logs]) expect(text).not.toContain(ZOMRO_SIM_TOKEN);
  });
});
