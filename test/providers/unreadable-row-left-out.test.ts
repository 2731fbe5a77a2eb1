import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

interface Listed {
  instances: { edges: Array<{ node: { nativeId: string; backups: Array<{ nativeId: string }> | null } }> };
}
const LIST = '{ instances(first: 100) { edges { node { nativeId backups { nativeId } } } } }';
const HOSTILE_ID = 'b'.repeat(2000);

/**
 * One backup row whose id the gateway cannot read back (2,000 characters) failed its VM's whole
 * backup list (null, INVALID_RESPONSE): a dashboard lost every backup of the VM for one row. The
 * row is left out and the rest answered, with the error at the list's path. The read cache is on:
 * a list that left a row out is not cached, so the second answer says so too.
 */
describe('a backup row with an id the gateway cannot read back, among readable ones', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ cacheTtlMs: 60_000 }) });
  });
  afterAll(() => harness.close());

  it("leaves that row out of its VM's backups, lists the others, and says so at the list's path on every read", async () => {
    const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    const counts = new Map<string, number>();
    for (const backup of simulator.backups.values()) counts.set(backup.instanceId, (counts.get(backup.instanceId) ?? 0) + 1);
    const [vm] = [...counts].find(([, count]) => count >= 2)!;
    const planted = [...simulator.backups.values()].find((backup) => backup.instanceId === vm)!;
    const readable = [...simulator.backups.values()].filter((backup) => backup.instanceId === vm && backup !== planted).map((backup) => backup.id);
    planted.id = HOSTILE_ID;
    for (const round of [1, 2]) {
      const listed = await harness.gql<Listed>(LIST);
      const edges = listed.data!.instances.edges;
      const index = edges.findIndex((edge) => edge.node.nativeId === vm);
      expect(edges[index]!.node.backups?.map((backup) => backup.nativeId).sort(), `round ${round}`).toEqual([...readable].sort());
      expect(listed.errors?.map((error) => [error.path?.join('.'), error.extensions?.code, error.extensions?.providerCode, error.message])).toEqual([
        [`instances.edges.${index}.node.backups`, 'PROVIDER_ERROR', 'INVALID_RESPONSE', 'provider zomro-test sent an id of 2000 bytes (at most 512 are read): one backup left out of its backups list, the others answered'],
      ]);
      expect(listed.text).not.toContain(HOSTILE_ID.slice(0, 600));
    }
    expect(harness.logs.filter((line) => line.includes('a row of a provider') && line.includes('"list":"backups"'))).not.toEqual([]);
  });
});

/**
 * Where every row of a list was left out there are no others: the error said "2 rows left out of
 * its backups list, the others answered" of a VM whose list answered none, and so of an account
 * whose instance list answered none. It says every row was left out, and how many.
 */
describe('a list whose every row has an id the gateway cannot read back', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
  });
  afterAll(() => harness.close());

  it("says every row of the VM's backups was left out, none answered, on every read", async () => {
    const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    const counts = new Map<string, number>();
    for (const backup of simulator.backups.values()) counts.set(backup.instanceId, (counts.get(backup.instanceId) ?? 0) + 1);
    const [vm, count] = [...counts].find(([, rows]) => rows >= 2)!;
    const planted = [...simulator.backups.values()].filter((backup) => backup.instanceId === vm);
    const saved = planted.map((backup) => backup.id);
    planted.forEach((backup, at) => (backup.id = `${at}`.repeat(2000)));
    try {
      for (const round of [1, 2]) {
        const listed = await harness.gql<Listed>(LIST);
        const edges = listed.data!.instances.edges;
        const index = edges.findIndex((edge) => edge.node.nativeId === vm);
        expect(edges[index]!.node.backups, `round ${round}`).toEqual([]);
        expect(listed.errors?.map((error) => [error.path?.join('.'), error.message])).toEqual([
          [`instances.edges.${index}.node.backups`, `provider zomro-test sent an id of 2000 bytes (at most 512 are read): every backup (${count}) of its backups list left out, none answered`],
        ]);
      }
    } finally {
      planted.forEach((backup, at) => (backup.id = saved[at]!));
    }
  });

  it('says every instance of the account was left out, none answered', async () => {
    const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    const instances = [...simulator.instances.values()];
    const saved = instances.map((instance) => instance.id);
    instances.forEach((instance, at) => (instance.id = `${at}`.repeat(2000)));
    try {
      const listed = await harness.gql<Listed>(LIST);
      expect(listed.data!.instances.edges).toEqual([]);
      expect(listed.errors?.map((error) => [error.path?.join('.'), error.message])).toEqual([
        ['instances', `provider zomro-test sent an id of 2000 bytes (at most 512 are read): every instance (${instances.length}) of its instances list left out, none answered`],
      ]);
    } finally {
      instances.forEach((instance, at) => (instance.id = saved[at]!));
    }
  });
});
