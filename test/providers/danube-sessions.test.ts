import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DANUBE_SIM_PASSWORD, type DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { errorCodes, startHarness, withDanubePasswordLogin, withProviderSettings, type Harness } from '../helpers/harness.js';

const BACKUPS = 'query($id: ID!) { instance(id: $id) { backups { id } } }';

/**
 * Danube answers a dead login token with 403, not 401: its API views list
 * SessionAuthentication first, which names no WWW-Authenticate scheme, so
 * DRF coerces "not authenticated" to 403 (esdc-ce api/views.py). The
 * simulator answered 401, and the gateway renewed only on 401: against the
 * real API every call failed from the token's first hour on.
 */
describe('danube: a login token Danube no longer takes (403)', () => {
  let harness: Harness;
  let simulator: DanubeSimulator;
  let ids: string[];
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], simulator: { instances: 8 }, configure: withDanubePasswordLogin() });
    simulator = harness.simulator('danube').simulator as DanubeSimulator;
    const answer = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>('{ instances(first: 100) { edges { node { id } } } }');
    expect(answer.errors).toBeUndefined();
    ids = answer.data!.instances.edges.map((edge) => edge.node.id);
  });
  afterAll(() => harness.close());

  const backupsOf = (id: string) => harness.gql(BACKUPS, { id });

  it('logs in again when the token expired (403 "Authentication credentials were not provided."), once for concurrent requests', async () => {
    simulator.expireToken();
    const before = simulator.logins;
    const answers = await Promise.all(ids.slice(0, 5).map(backupsOf));
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    expect(simulator.logins - before).toBe(1);
    for (const line of harness.logs) expect(line).not.toContain(DANUBE_SIM_PASSWORD);
  });

  it('logs in again when another login replaced the token (403 "Invalid token.")', async () => {
    simulator.loginElsewhere();
    const before = simulator.logins;
    const answer = await backupsOf(ids[2]!);
    expect(answer.errors).toBeUndefined();
    expect(simulator.logins - before).toBe(1);
  });

  it('asks for English, so a Danube set to another language still names a dead token in words the renewal knows', async () => {
    simulator.defaultLanguage = 'sk';
    try {
      simulator.expireToken();
      const before = simulator.logins;
      const answer = await backupsOf(ids[1]!);
      expect(answer.errors).toBeUndefined();
      expect(simulator.logins - before).toBe(1);
    } finally {
      simulator.defaultLanguage = 'en';
    }
  });

  it('does not log in again for a 403 a login does not change (permission denied): PROVIDER_ERROR, the token kept', async () => {
    const hostname = simulator.vms[3]!.hostname as string;
    simulator.forbidden.add(hostname);
    try {
      const before = simulator.logins;
      const answer = await backupsOf(ids[3]!);
      expect(errorCodes(answer)).toEqual(['PROVIDER_ERROR']);
      expect(answer.errors?.[0]?.extensions).toMatchObject({ provider: 'danube-test', providerCode: 'ACTION_NOT_PERMITTED' });
      expect(simulator.logins - before).toBe(0);
      expect((await backupsOf(ids[4]!)).errors).toBeUndefined();
      expect(simulator.logins - before).toBe(0);
    } finally {
      simulator.forbidden.delete(hostname);
    }
  });
});

describe('danube: a login refused for its credentials', () => {
  it('is sent once for requests in a row, and answered PROVIDER_ERROR without the password', async () => {
    const harness = await startHarness({ kinds: ['danube'], configure: withProviderSettings({ auth: { username: 'admin', password: 'not-the-password-5be0' } }, 'danube') });
    try {
      for (let n = 0; n < 4; n++) {
        const answer = await harness.gql<{ instances: { providerErrors: Array<{ code: string; message: string }> } }>('{ instances(first: 5) { providerErrors { code message } } }');
        expect(answer.data?.instances.providerErrors).toEqual([{ code: 'PROVIDER_ERROR', message: "provider danube-test refused the gateway's login" }]);
        expect(answer.text).not.toContain('not-the-password-5be0');
      }
      expect(harness.simulator('danube').server.count((item) => /accounts\/login/.test(item.label))).toBe(1);
    } finally {
      await harness.close();
    }
  });
});
