import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ZOMRO_SIM_PASSWORD, ZOMRO_SIM_TOKEN, ZOMRO_SIM_USER, type ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import type { SimulatorServer } from '../../src/simulator/server.js';
import { errorCodes, startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * BILLmanager answers a dead session and a function the account may not use
 * alike: `access`, "Insufficient privileges to perform function ...". Zomro's
 * panel tells them apart with func=keepalive; the gateway read every `access`
 * as a dead session: a login (with username/password) before failing anyway,
 * or "the token expired" (with a fixed token) for a right the account lacks.
 */

const LIST = '{ instances(first: 100) { edges { node { id } } } }';
const BACKUPS = 'query($id: ID!) { instance(id: $id) { backups { id } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const REFUSED_RIGHT = /^provider zomro-test refused instances\.fleio_bckps to the gateway's account, whose session is live \(the account lacks the right; a new login would not change it\): Insufficient privileges to perform function instances\.fleio_bckps/;

// Every read reaches the simulator, and concurrent identical reads are not joined: each refusal is its own.
const settings = { cacheTtlMs: 0, coalesceReads: false };

async function open(auth: Record<string, string>) {
  const harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ ...settings, auth }) });
  const running = harness.simulator('zomro');
  const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(LIST);
  expect(answer.errors).toBeUndefined();
  return { harness, simulator: running.simulator as ZomroSimulator, server: running.server, ids: answer.data!.instances.edges.map((edge) => edge.node.id) };
}

const sent = (server: SimulatorServer, func: string) => server.log.filter((request) => request.label === func);

describe('zomro with a login: an access refusal is checked with func=keepalive', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let server: SimulatorServer;
  let ids: string[];
  beforeAll(async () => {
    ({ harness, simulator, server, ids } = await open({ username: ZOMRO_SIM_USER, password: ZOMRO_SIM_PASSWORD }));
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    simulator.forbiddenFuncs.clear();
    simulator.accessRefusalsQuoteSession = false;
    server.latencyMs = 0;
    harness.resetUpstreamLogs();
  });

  const backupsOf = (id: string) => harness.gql(BACKUPS, { id });

  it('a function the account may not use (live session): PROVIDER_ERROR naming it, one keepalive, no login, the session kept', async () => {
    simulator.forbiddenFuncs.add('instances.fleio_bckps');
    const before = simulator.logins;
    const answer = await backupsOf(ids[2]!);
    expect(errorCodes(answer)).toEqual(['PROVIDER_ERROR']);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ provider: 'zomro-test', providerCode: 'access' });
    expect(answer.errors?.[0]?.message).toMatch(REFUSED_RIGHT);
    expect(sent(server, 'keepalive')).toHaveLength(1);
    expect(simulator.logins - before).toBe(0);
    // Other functions go on with the same session.
    expect((await harness.gql(LIST)).errors).toBeUndefined();
    expect(simulator.logins - before).toBe(0);
    expect(new Set(server.log.map((request) => request.form.auth)).size).toBe(1);
  });

  it('a dead session: concurrent refusals share one keepalive, then one login renews it and the reads succeed', async () => {
    // The refusals all come back while the keepalive is still out: its answer waits until the
    // simulator has refused all three (a latency made that likely, and a loaded machine broke it).
    const keepaliveHeld = server.holdAnswersOf('keepalive');
    simulator.expireSessions();
    const before = simulator.logins;
    const asked = Promise.all(ids.slice(1, 4).map(backupsOf));
    try {
      await keepaliveHeld.arrived;
      const refused = () => server.log.filter((request) => request.label !== 'keepalive' && request.label !== 'auth');
      await vi.waitFor(() => expect(refused().length).toBeGreaterThanOrEqual(3), { timeout: 20_000 });
    } finally {
      keepaliveHeld.release();
    }
    const answers = await asked;
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    expect(sent(server, 'keepalive')).toHaveLength(1);
    expect(simulator.logins - before).toBe(1);
    for (const text of [...answers.map((answer) => answer.text), ...harness.logs]) expect(text).not.toContain(ZOMRO_SIM_PASSWORD);
  });

  it("a refusal quoting the session reaches the client scrubbed", async () => {
    simulator.forbiddenFuncs.add('instances.fleio_bckps');
    simulator.accessRefusalsQuoteSession = true;
    const answer = await backupsOf(ids[2]!);
    const session = sent(server, 'instances.fleio_bckps')[0]!.form.auth!;
    expect(answer.errors?.[0]?.message).toMatch(REFUSED_RIGHT);
    expect(answer.errors?.[0]?.message).toContain('(session [redacted])');
    for (const text of [answer.text, ...harness.logs]) expect(text).not.toContain(session);
  });
});

describe('zomro with a fixed token: only a dead token is "expired"', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let server: SimulatorServer;
  let ids: string[];
  beforeAll(async () => {
    ({ harness, simulator, server, ids } = await open({ token: ZOMRO_SIM_TOKEN }));
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    simulator.forbiddenFuncs.clear();
    harness.resetUpstreamLogs();
  });

  it('a function the account may not use: PROVIDER_ERROR saying the account lacks the right, not that the token expired', async () => {
    simulator.forbiddenFuncs.add('instances.fleio_bckps');
    const answer = await harness.gql(BACKUPS, { id: ids[2]! });
    expect(errorCodes(answer)).toEqual(['PROVIDER_ERROR']);
    expect(answer.errors?.[0]?.message).toMatch(REFUSED_RIGHT);
    expect(answer.errors?.[0]?.message).not.toMatch(/expired/);
    expect(sent(server, 'keepalive')).toHaveLength(1);
    expect(answer.text).not.toContain(ZOMRO_SIM_TOKEN);
  });

  it('a write the account may not make is the same refusal, and releases its idempotency key (nothing was done)', async () => {
    simulator.forbiddenFuncs.add('instances.fleio_bckps.edit');
    const input = { instanceId: ids[2]!, name: 'not-allowed', idempotencyKey: 'zomro-refused-right-1' };
    const first = await harness.gql(CREATE, { input });
    expect(errorCodes(first)).toEqual(['PROVIDER_ERROR']);
    expect(first.errors?.[0]?.message).toMatch(/refused instances\.fleio_bckps\.edit to the gateway's account, whose session is live/);
    simulator.forbiddenFuncs.clear();
    const retry = await harness.gql(CREATE, { input });
    expect(retry.errors).toBeUndefined();
  });

  it('a token the panel no longer knows: one keepalive confirms it, and the error says the token expired', async () => {
    simulator.expireSessions();
    const answer = await harness.gql<{ instances: { providerErrors: Array<{ code: string; message: string }> } }>('{ instances { providerErrors { code message } } }');
    expect(answer.data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_ERROR', message: expect.stringMatching(/session token: it has expired/) }]);
    expect(sent(server, 'keepalive')).toHaveLength(1);
    expect(answer.text).not.toContain(ZOMRO_SIM_TOKEN);
    expect(simulator.logins).toBe(0);
  });
});
