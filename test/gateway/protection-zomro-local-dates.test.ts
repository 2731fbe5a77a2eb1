import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * Zomro's panel dates its backups on its own clock, without a zone. Read as
 * UTC in an account whose `timezone` is ahead of UTC, a backup looked that
 * many hours younger, and was PROTECTED past the objective.
 */

/** `ms` as the wall clock of UTC+14 shows it, "YYYY-MM-DD HH:MM:SS". */
const kiritimatiWall = (ms: number) => new Date(ms + 14 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

describe('zomro backup dates on the account clock', () => {
  let harness: Harness;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ cacheTtlMs: 0, timezone: 'Pacific/Kiritimati' }) });
  });
  afterAll(() => harness.close());

  it('a backup made 26 hours ago, dated on a UTC+14 clock, is STALE at a 24-hour objective (it read 12 hours old: PROTECTED)', async () => {
    const simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    type Node = { nativeId: string; protection: { status: string; reason: string; lastBackup: { createdAt: string } | null } };
    const query = '{ instances { edges { node { nativeId protection { status reason lastBackup { createdAt } } } } } }';
    const nodes = async () => (await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>(query)).data!.instances.edges.map((edge) => edge.node);
    // The seed's sixth instance has a backup an hour old and a schedule: PROTECTED.
    const target = (await nodes())[5]!;
    expect(target.protection.status).toBe('PROTECTED');
    const madeAt = Date.now() - 26 * 3_600_000;
    for (const backup of simulator.backups.values()) if (backup.instanceId === target.nativeId) backup.createdate = kiritimatiWall(madeAt);

    const after = (await nodes()).find((node) => node.nativeId === target.nativeId)!;
    expect(after.protection).toMatchObject({ status: 'STALE', reason: 'BACKUP_TOO_OLD' });
    expect(Math.abs(Date.parse(after.protection.lastBackup!.createdAt) - madeAt)).toBeLessThan(1_000);
  });
});
