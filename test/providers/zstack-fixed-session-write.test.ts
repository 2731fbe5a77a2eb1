import { describe, expect, it } from 'vitest';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import { eventually, withHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * An account configured with a fixed ZStack `sessionId`: no login renews it, so ZStack refusing it
 * (ID.1001) is the configured credentials refused. A query refused so read DEGRADED
 * CREDENTIALS_REFUSED; a write sent with it is accepted (202) and its job fails with ID.1001 when
 * polled (ZStack's API interceptor checks the session, its REST server does not), and that read UP:
 * the poll itself was answered.
 */
const FIXED_SESSION = 'a1f3c5e7b9d24f6081a3c5e7b9d2f4e6';
const INSTANCES = '{ instances(first: 5) { edges { node { id } } } }';
const CREATE = 'mutation($input: CreateBackupInput!) { createBackup(input: $input) { operation { id status } } }';
const OPERATION = 'query($id: ID!) { operation(id: $id) { status error } }';
const HEALTH = '{ providers { id health healthCause } }';

async function failedWrite(harness: Harness, simulator: ZstackSimulator): Promise<{ status: string; error: string | null }> {
  const listed = await harness.gql<{ instances: { edges: Array<{ node: { id: string } }> } }>(INSTANCES);
  const instanceId = listed.data!.instances.edges[0]!.node.id;
  // The session dies after the reads that lead to the write, before the write reaches ZStack.
  simulator.expireSessionsBeforeNextWrite = true;
  const created = await harness.gql<{ createBackup: { operation: { id: string } } }>(CREATE, { input: { instanceId, name: 'fixed-session-refused' } });
  expect(created.errors).toBeUndefined();
  const polled = await eventually(
    () => harness.gql<{ operation: { status: string; error: string | null } }>(OPERATION, { id: created.data!.createBackup.operation.id }),
    (answer) => answer.data?.operation.status !== 'RUNNING',
  );
  return polled.data!.operation;
}

describe("zstack: a write job failing for the config's fixed sessionId (ID.1001)", () => {
  it('makes health DEGRADED CREDENTIALS_REFUSED, as a refused query does, naming neither the session nor ZStack\'s words', async () => {
    await withHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0, auth: { sessionId: FIXED_SESSION } }) }, async (harness) => {
      const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
      simulator.sessions.add(FIXED_SESSION);
      simulator.asyncDelayMs = 20;
      const operation = await failedWrite(harness, simulator);
      expect(operation.status).toBe('FAILED');
      // Sent again, it would be refused again: the operator's to put right, not the client's to retry.
      expect(operation.error).toContain("the provider refused the gateway's configured session (the account's sessionId); nothing was done");
      expect(operation.error).not.toContain(FIXED_SESSION);
      const health = await harness.gql<{ providers: unknown[] }>(HEALTH);
      expect(health.data?.providers).toEqual([{ id: 'zstack-test', health: 'DEGRADED', healthCause: 'CREDENTIALS_REFUSED' }]);
      expect(health.text).not.toContain(FIXED_SESSION);
      expect(health.text).not.toMatch(/ID\.1001|Session expired/);
      const readyz = (await (await fetch(`${harness.gateway.adminUrl}/readyz`)).json()) as { providers: Array<{ health: string; cause?: string }> };
      expect(readyz.providers[0]).toMatchObject({ health: 'DEGRADED', cause: 'credentials' });
      for (const line of harness.logs) expect(line).not.toContain(FIXED_SESSION);
    });
  });

  it('(guard) a job failing for a session from a login is no refusal of the credentials: health stays UP', async () => {
    await withHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      const simulator = harness.simulator('zstack').simulator as ZstackSimulator;
      simulator.asyncDelayMs = 20;
      const operation = await failedWrite(harness, simulator);
      expect(operation.status).toBe('FAILED');
      expect(operation.error).toContain('the provider refused the session the gateway sent (expired); nothing was done, send the request again');
      const health = await harness.gql<{ providers: unknown[] }>(HEALTH);
      expect(health.data?.providers).toEqual([{ id: 'zstack-test', health: 'UP', healthCause: null }]);
    });
  });
});
