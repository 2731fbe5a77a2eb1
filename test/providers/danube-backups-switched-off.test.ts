import { describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { errorCodes, withHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

/**
 * A Danube datacenter with backups switched off (esdc-ce's `VMS_VM_BACKUP_ENABLED` false) answers
 * every backup call 404 with DRF's bare `{"detail": "Not found."}` (its `setting_required`
 * decorator raises Http404 before the VM is looked up); the VM list answers as ever. Read as
 * NOT_FOUND "Not found.", each VM's `backups` and `definitions` said the id named nothing,
 * `backups(filter: {instanceId})` answered as for a VM that does not exist (NOT_FOUND, no data),
 * and a delete was NOT_FOUND, as for a backup gone. Now each is UNSUPPORTED with the call's
 * capability and words naming the setting; the VMs stay listed and health UP. Over HTTP, the
 * simulator's `backupsSwitchedOff` playing the datacenter.
 */
const LISTED = '{ instances(first: 100) { totalCount providerErrors { code } edges { node { id nativeId backups { id } definitions { name } protection { status } } } } }';
const ONE = 'query($id: ID!) { instance(id: $id) { id nativeId } }';
const FILTERED = 'query($id: ID!) { backups(first: 10, filter: { instanceId: $id }) { totalCount } }';
const DELETE = 'mutation($input: DeleteBackupInput!) { deleteBackup(input: $input) { operation { status } } }';
const HEALTH = '{ providers { id health healthCause } }';

interface Node {
  id: string;
  nativeId: string;
  backups: Array<{ id: string }> | null;
  definitions: Array<{ name: string }> | null;
  protection: { status: string };
}
type Listed = { instances: { totalCount: number; providerErrors: unknown[]; edges: Array<{ node: Node }> } };

const switchOff = (harness: Harness): void => {
  (harness.simulator('danube').simulator as DanubeSimulator).backupsSwitchedOff = true;
};

const SAYS_SWITCHED_OFF = /switched off for the account's datacenter \(its VMS_VM_BACKUP_ENABLED setting\)/;

describe('danube: backups switched off for the datacenter (404 "Not found." to every backup call)', () => {
  it("lists every VM, each one's backups and definitions UNSUPPORTED (not NOT_FOUND), health UP", async () => {
    await withHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      switchOff(harness);
      const listed = await harness.gql<Listed>(LISTED);
      const nodes = listed.data!.instances.edges.map((edge) => edge.node);
      expect(listed.data?.instances.totalCount).toBe(6);
      expect(listed.data?.instances.providerErrors).toEqual([]);
      expect(nodes.every((node) => node.backups === null && node.definitions === null && node.protection.status === 'UNKNOWN')).toBe(true);
      const byField = (field: string) => (listed.errors ?? []).filter((error) => error.path?.at(-1) === field);
      expect(byField('backups').map((error) => [error.extensions?.code, error.extensions?.capability])).toEqual(nodes.map(() => ['UNSUPPORTED', 'LIST_BACKUPS']));
      expect(byField('definitions').map((error) => [error.extensions?.code, error.extensions?.capability])).toEqual(nodes.map(() => ['UNSUPPORTED', 'LIST_DEFINITIONS']));
      expect(byField('backups')[0]?.message).toMatch(SAYS_SWITCHED_OFF);
      expect((await harness.gql<{ providers: unknown }>(HEALTH)).data?.providers).toEqual([{ id: 'danube-test', health: 'UP', healthCause: null }]);
    });
  });

  it("answers one VM's backups(filter: {instanceId}) UNSUPPORTED, not NOT_FOUND as for a VM that does not exist; the VM still found by its id", async () => {
    await withHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 0, retries: 0 }) }, async (harness) => {
      switchOff(harness);
      const node = (await harness.gql<Listed>(LISTED)).data!.instances.edges[0]!.node;
      const filtered = await harness.gql(FILTERED, { id: node.id });
      expect(errorCodes(filtered)).toEqual(['UNSUPPORTED']);
      expect(filtered.errors?.[0]?.message).toMatch(SAYS_SWITCHED_OFF);
      expect((await harness.gql<{ instance: unknown }>(ONE, { id: node.id })).data?.instance).toEqual({ id: node.id, nativeId: node.nativeId });
    });
  });

  it("answers a delete of a backup listed before UNSUPPORTED (not NOT_FOUND, a backup gone), the VM still listed from the read cache", async () => {
    await withHarness({ kinds: ['danube'], configure: withProviderSettings({ cacheTtlMs: 60_000, retries: 0 }) }, async (harness) => {
      const before = await harness.gql<Listed>(LISTED);
      const node = before.data!.instances.edges.map((edge) => edge.node).find((candidate) => (candidate.backups?.length ?? 0) > 0)!;
      switchOff(harness);
      const deleted = await harness.gql(DELETE, { input: { backupId: node.backups![0]!.id } });
      expect(errorCodes(deleted)).toEqual(['UNSUPPORTED']);
      expect(deleted.errors?.[0]?.extensions?.capability).toBe('DELETE_BACKUP');
      const after = await harness.gql<Listed>(LISTED);
      expect(after.data?.instances.totalCount).toBe(6);
      expect((await harness.gql<{ instance: unknown }>(ONE, { id: node.id })).data?.instance).toEqual({ id: node.id, nativeId: node.nativeId });
    });
  });
});
