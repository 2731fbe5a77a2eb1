import { describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { dashboardNodes } from '../helpers/dashboard.js';
import { withHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * A 403 refusing one action (an OnApp user's role lacking a permission, Danube's PermissionDenied for
 * one VM) read the whole account DEGRADED CREDENTIALS_REFUSED, though every other call answered. Now
 * it is that operation's error, PROVIDER_ERROR `ACTION_NOT_PERMITTED` saying who can grant it, and
 * health stays UP. A 403 the provider's words do not mark so (a proxy's plain "Forbidden") still reads
 * as the credentials refused: credentials-refused-answers.test.ts.
 */
const HEALTH = '{ providers { id health healthCause } }';
const INSTANCES = '{ instances(first: 5) { edges { node { id } } providerErrors { code } } }';
const BACKUPS = 'query($id: ID!) { instance(id: $id) { backups { id } } }';
type Health = { providers: Array<{ id: string; health: string; healthCause: string | null }> };
type Backups = { instance: { backups: unknown[] } | null };

async function expectOneActionRefused(harness: Harness, kind: 'onapp' | 'danube', instanceId: string): Promise<void> {
  const refused = await harness.gql<Backups>(BACKUPS, { id: instanceId });
  expect(refused.errors?.map((error) => error.extensions)).toEqual([expect.objectContaining({ code: 'PROVIDER_ERROR', provider: `${kind}-test`, providerCode: 'ACTION_NOT_PERMITTED' })]);
  expect(refused.errors?.[0]?.message).toBe(
    `provider ${kind}-test refused this action to the gateway's account (HTTP 403): the account's user lacks the right for it in the provider's panel, which only the gateway's operator can grant; its other calls are not refused`,
  );
  // The provider's own words stay out: the status and the code say it.
  expect(refused.text).not.toMatch(/do not have permission/i);
  expect((await harness.gql<Health>(HEALTH)).data?.providers).toEqual([{ id: `${kind}-test`, health: 'UP', healthCause: null }]);
  const others = await harness.gql<{ instances: { edges: unknown[]; providerErrors: unknown[] } }>(INSTANCES);
  expect(others.data?.instances.providerErrors).toEqual([]);
  expect(others.data?.instances.edges.length).toBeGreaterThan(0);
}

describe('a 403 refusing one action, not the account', () => {
  it("onapp: a VM's backup list refused 403 in OnApp's error shape is that read's ACTION_NOT_PERMITTED, health UP", async () => {
    await withHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      const simulator = harness.simulator('onapp').simulator as OnappSimulator;
      const [vm] = await dashboardNodes(harness);
      simulator.refusedActions.add('GET /virtual_machines/:id/backups.json');
      await expectOneActionRefused(harness, 'onapp', vm!.id);
    });
  });

  it('danube: a VM refused 403 "You do not have permission to perform this action." is that read\'s ACTION_NOT_PERMITTED, health UP', async () => {
    await withHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      const simulator = harness.simulator('danube').simulator as DanubeSimulator;
      const [vm] = await dashboardNodes(harness);
      simulator.forbidden.add(vm!.nativeId);
      await expectOneActionRefused(harness, 'danube', vm!.id);
    });
  });

  it("guard: onapp, the account-wide disk list refused 403 in OnApp's words falls back to each VM's disks, as a 404 does: schedules read, health UP", async () => {
    await withHarness({ kinds: ['onapp'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      const simulator = harness.simulator('onapp').simulator as OnappSimulator;
      simulator.refusedActions.add('GET /settings/disks.json');
      const answer = await harness.gql<{ instances: { edges: Array<{ node: { schedules: unknown[] | null } }>; providerErrors: unknown[] } }>('{ instances(first: 5) { edges { node { schedules { id } } } providerErrors { code } } }');
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.instances.providerErrors).toEqual([]);
      expect(harness.simulator('onapp').server.count('GET /virtual_machines/:id/disks.json')).toBeGreaterThan(0);
      expect((await harness.gql<Health>(HEALTH)).data?.providers).toEqual([{ id: 'onapp-test', health: 'UP', healthCause: null }]);
    });
  });

  it('guard: danube, the VM list itself refused so is the account refused: DEGRADED CREDENTIALS_REFUSED as before', async () => {
    await withHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      const simulator = harness.simulator('danube').simulator as DanubeSimulator;
      simulator.forbidsVmList = true;
      await harness.gql(INSTANCES);
      expect((await harness.gql<Health>(HEALTH)).data?.providers).toEqual([{ id: 'danube-test', health: 'DEGRADED', healthCause: 'CREDENTIALS_REFUSED' }]);
    });
  });
});
