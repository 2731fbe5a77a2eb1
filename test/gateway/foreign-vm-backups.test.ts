import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DANUBE_SIM_API_KEY, type DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { ONAPP_SIM_API_KEY, type OnappSimulator } from '../../src/providers/onapp/simulator.js';
import { ZOMRO_SIM_TOKEN, type ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import type { ZstackSimulator } from '../../src/providers/zstack/simulator.js';
import type { ProviderKind } from '../../src/providers/registry.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * A provider that ignores its per-VM filter answers every VM's backups for
 * each VM. Where a backup row names its VM in the id space the gateway asked
 * with (Zomro's `instances_id`, OnApp's incremental `target_id`), the other
 * VMs' rows are dropped: each instance shows its own backups and is judged
 * by them, as when the provider filters. Dropping is logged, throttled, naming
 * the account and never its credentials.
 */

interface Shown {
  nativeId: string;
  backups: Array<{ id: string; instance: { nativeId: string } | null }>;
  protection: { status: string; usableBackups: number | null; lastBackup: { id: string } | null };
}

const VIEW = /* GraphQL */ `{
  instances(first: 1000) { edges { node { nativeId backups { id instance { nativeId } } protection { status usableBackups lastBackup { id } } } } }
  backups(first: 1000) { totalCount }
}`;

async function view(harness: Harness): Promise<{ instances: Shown[]; totalCount: number }> {
  const answer = await harness.gql<{ instances: { edges: Array<{ node: Shown }> }; backups: { totalCount: number } }>(VIEW);
  expect(answer.errors).toBeUndefined();
  return { instances: answer.data!.instances.edges.map((edge) => edge.node), totalCount: answer.data!.backups.totalCount };
}

const droppedLines = (harness: Harness): string[] => harness.logs.filter((line) => line.includes("named other VMs' backups"));

/** Each instance lists only backups of its own, and at least one lists some: a comparison that never matched would list none. */
function expectOwnBackupsOnly(shown: Shown[], backupsPerInstance: Map<string, number>): void {
  for (const instance of shown) {
    expect(instance.backups.map((backup) => backup.instance?.nativeId ?? null).filter((owner) => owner !== instance.nativeId)).toEqual([]);
    expect(instance.backups).toHaveLength(backupsPerInstance.get(instance.nativeId) ?? 0);
  }
  expect(shown.some((instance) => instance.backups.length > 0)).toBe(true);
}

function suite(kind: ProviderKind, play: { documented(harness: Harness): void; rowsNameTheirVm(harness: Harness): void; ignoreFilter(harness: Harness): void; backupsPerInstance(harness: Harness): Map<string, number>; secret: string; withoutBackupsStatus?: string }) {
  describe(`${kind}: a provider that ignores its per-VM backup filter`, () => {
    let harness: Harness;

    beforeAll(async () => {
      harness = await startHarness({ kinds: [kind], configure: withProviderSettings({ cacheTtlMs: 0 }) });
    });
    afterAll(() => harness.close());
    beforeEach(() => play.documented(harness));

    it('lists each VM its own backups when its rows name their VM and the provider filters', async () => {
      const before = await view(harness);
      play.rowsNameTheirVm(harness);
      const after = await view(harness);
      expectOwnBackupsOnly(after.instances, play.backupsPerInstance(harness));
      expect(after).toEqual(before);
      expect(droppedLines(harness)).toEqual([]);
    });

    it("drops another VM's backups from a VM's list, its protection and the account's count, and logs it once, without credentials", async () => {
      play.rowsNameTheirVm(harness);
      const filtered = await view(harness);
      const unprotected = filtered.instances.find((instance) => instance.backups.length === 0);
      expect(unprotected?.protection).toMatchObject({ status: play.withoutBackupsStatus ?? 'UNPROTECTED', usableBackups: 0, lastBackup: null });

      play.ignoreFilter(harness);
      const ignored = await view(harness);
      expect(ignored).toEqual(filtered);
      expectOwnBackupsOnly(ignored.instances, play.backupsPerInstance(harness));
      await view(harness);

      const lines = droppedLines(harness);
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ level: 40, provider: `${kind}-test`, kind, listsWithOtherVmsSinceLastLine: 0 });
      expect(harness.logs.join('\n')).not.toContain(play.secret);
    });
  });
}

const zomro = (harness: Harness) => harness.simulator('zomro').simulator as ZomroSimulator;
const onapp = (harness: Harness) => harness.simulator('onapp').simulator as OnappSimulator;

suite('zomro', {
  documented(harness) {
    zomro(harness).listsInstancesId = false;
    zomro(harness).ignoresInstanceFilter = false;
  },
  rowsNameTheirVm(harness) {
    zomro(harness).listsInstancesId = true;
  },
  ignoreFilter(harness) {
    zomro(harness).ignoresInstanceFilter = true;
  },
  backupsPerInstance(harness) {
    const counts = new Map<string, number>();
    for (const backup of zomro(harness).backups.values()) counts.set(backup.instanceId, (counts.get(backup.instanceId) ?? 0) + 1);
    return counts;
  },
  secret: ZOMRO_SIM_TOKEN,
});

/** Seeded OnApp backups are of disks (normal) but one: incremental ones name their VM (`target_type` VirtualMachine, `target_id`). */
const seededTypes = new Map<number, 'normal' | 'incremental'>();

suite('onapp', {
  documented(harness) {
    const simulator = onapp(harness);
    simulator.ignoresVmFilter = false;
    if (seededTypes.size === 0) for (const backup of simulator.backups.values()) seededTypes.set(backup.id, backup.backup_type);
    for (const backup of simulator.backups.values()) backup.backup_type = seededTypes.get(backup.id) ?? backup.backup_type;
  },
  rowsNameTheirVm(harness) {
    for (const backup of onapp(harness).backups.values()) backup.backup_type = 'incremental';
  },
  ignoreFilter(harness) {
    onapp(harness).ignoresVmFilter = true;
  },
  backupsPerInstance(harness) {
    const counts = new Map<string, number>();
    for (const backup of onapp(harness).backups.values()) counts.set(String(backup.vmId), (counts.get(String(backup.vmId)) ?? 0) + 1);
    return counts;
  },
  secret: ONAPP_SIM_API_KEY,
});

const danube = (harness: Harness) => harness.simulator('danube').simulator as DanubeSimulator;

/** Danube's rows name their VM as it is now (`vm`, esdc-ce's BackupSerializer) beside the hostname each was made under. */
suite('danube', {
  documented(harness) {
    danube(harness).ignoresVmFilter = false;
  },
  rowsNameTheirVm() {},
  ignoreFilter(harness) {
    danube(harness).ignoresVmFilter = true;
  },
  backupsPerInstance(harness) {
    const counts = new Map<string, number>();
    for (const backup of danube(harness).backups) counts.set(String(backup.hostname), (counts.get(String(backup.hostname)) ?? 0) + 1);
    return counts;
  },
  secret: DANUBE_SIM_API_KEY,
  // Each seeded VM has a definition: without a backup it is STALE (NO_BACKUP_YET), not UNPROTECTED.
  withoutBackupsStatus: 'STALE',
});

describe('zstack: a node that ignores its per-VM backup condition', () => {
  let harness: Harness;
  const zstack = () => harness.simulator('zstack').simulator as ZstackSimulator;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zstack'], configure: withProviderSettings({ cacheTtlMs: 0 }) });
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    zstack().ignoresVmFilter = false;
  });

  it('hands each VM only the backups whose volumes name it, in a batch and read alone (already so: groups go to the VM their rows name)', async () => {
    const filtered = await view(harness);
    const bare = filtered.instances.find((instance) => instance.backups.length === 0);
    expect(bare).toBeDefined();
    expect(filtered.instances.some((instance) => instance.backups.length > 0)).toBe(true);
    const ids = await harness.gql<{ instances: { edges: Array<{ node: { id: string; nativeId: string } }> } }>('{ instances(first: 1000) { edges { node { id nativeId } } } }');
    const bareId = ids.data!.instances.edges.find((edge) => edge.node.nativeId === bare!.nativeId)!.node.id;

    zstack().ignoresVmFilter = true;
    expect(await view(harness)).toEqual(filtered);
    const alone = await harness.gql<{ instance: Shown }>('query($id: ID!) { instance(id: $id) { nativeId backups { id instance { nativeId } } protection { status usableBackups lastBackup { id } } } }', { id: bareId });
    expect(alone.errors).toBeUndefined();
    expect(alone.data!.instance).toEqual(bare);
  });
});
