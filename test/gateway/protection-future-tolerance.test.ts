import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnappSimulator } from '../../src/providers/onapp/simulator.js';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { type Harness, startHarness, withAccountCopy, withProviderSettings } from '../helpers/harness.js';

/**
 * A backup dated ahead of now counts as recent only as far as the account's
 * dates can be off: a day where they carry no zone and the account names
 * none (Zomro without `timezone`: read as UTC, possibly 14 hours off), two
 * hours where the zone is known (OnApp writes it; a Zomro account with
 * `timezone` names it). A day for every account let an OnApp backup dated
 * three hours ahead, a date no zone explains, keep its instance PROTECTED.
 */

const HOUR_MS = 3_600_000;
const threeHoursAhead = () => Date.now() + 3 * HOUR_MS;

interface Node {
  nativeId: string;
  provider: { id: string };
  protection: { status: string; reason: string };
}

describe('how far ahead a backup date may be, per account', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({
      kinds: ['zomro', 'onapp'],
      // The simulator's own account names its zone (UTC); a copy on the same simulator names none.
      configure: [withProviderSettings({ cacheTtlMs: 0 }), withAccountCopy('zomro', { id: 'zomro-unzoned', timezone: undefined })],
    });
  });
  afterAll(() => harness.close());

  const protections = async (): Promise<Node[]> => {
    const answer = await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>('{ instances(first: 500) { edges { node { nativeId provider { id } protection { status reason } } } } }');
    expect(answer.errors).toBeUndefined();
    return answer.data!.instances.edges.map((edge) => edge.node);
  };
  const protectionAt = (nodes: Node[], providerId: string, nativeId: string) => nodes.find((node) => node.provider.id === providerId && node.nativeId === nativeId)!.protection;

  it('three hours ahead: STALE at OnApp and at a Zomro account with a timezone (the older backups decide: BACKUP_TOO_OLD), PROTECTED at a Zomro account without one', async () => {
    const zomroId = harness.providerId('zomro');
    expect(harness.config.providers.map((provider) => [provider.id, 'timezone' in provider ? provider.timezone : undefined])).toEqual([[zomroId, 'UTC'], [harness.providerId('onapp'), undefined], ['zomro-unzoned', undefined]]);
    const onappId = harness.providerId('onapp');
    // The seed's sixth instance of each has a backup an hour old and a schedule: PROTECTED.
    const before = await protections();
    const zomroTarget = before.filter((node) => node.provider.id === zomroId)[5]!;
    const onappTarget = before.filter((node) => node.provider.id === onappId)[5]!;
    expect([zomroTarget.protection.status, onappTarget.protection.status, protectionAt(before, 'zomro-unzoned', zomroTarget.nativeId).status]).toEqual(['PROTECTED', 'PROTECTED', 'PROTECTED']);

    const zomro = harness.simulator('zomro').simulator as ZomroSimulator;
    const onapp = harness.simulator('onapp').simulator as OnappSimulator;
    const zomroNewest = [...zomro.backups.values()].filter((backup) => backup.instanceId === zomroTarget.nativeId).at(-1)!;
    zomroNewest.createdate = new Date(threeHoursAhead()).toISOString().slice(0, 19).replace('T', ' ');
    const onappNewest = [...onapp.backups.values()].filter((backup) => String(backup.vmId) === onappTarget.nativeId).at(-1)!;
    onappNewest.created_at = new Date(threeHoursAhead()).toISOString();

    const after = await protections();
    // The date ahead proves nothing, so the newest believable backup decides: years old.
    expect(protectionAt(after, onappId, onappTarget.nativeId)).toEqual({ status: 'STALE', reason: 'BACKUP_TOO_OLD' });
    expect(protectionAt(after, zomroId, zomroTarget.nativeId)).toEqual({ status: 'STALE', reason: 'BACKUP_TOO_OLD' });
    expect(protectionAt(after, 'zomro-unzoned', zomroTarget.nativeId)).toEqual({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED' });
  });

  it('an hour ahead (a clock a little fast) still counts as recent where the zone is known', async () => {
    const onappId = harness.providerId('onapp');
    const onappTarget = (await protections()).filter((node) => node.provider.id === onappId)[5]!;
    const onapp = harness.simulator('onapp').simulator as OnappSimulator;
    const onappNewest = [...onapp.backups.values()].filter((backup) => String(backup.vmId) === onappTarget.nativeId).at(-1)!;
    onappNewest.created_at = new Date(Date.now() + HOUR_MS).toISOString();
    expect(protectionAt(await protections(), onappId, onappTarget.nativeId)).toEqual({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED' });
  });
});
