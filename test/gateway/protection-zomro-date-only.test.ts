import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ZomroSimulator } from '../../src/providers/zomro/simulator.js';
import { type Harness, startHarness, withProviderSettings } from '../helpers/harness.js';

/**
 * Zomro's BILLmanager dates a backup by its day alone ("2024-07-23"). Read as
 * that day's start, a backup made daily at 23:00 was more than 24 hours old
 * from the next midnight on: STALE nearly all day, every day. The protection
 * view ages a date alone from its day's end; `createdAt` still shows the start.
 */

const ZONE = 'Europe/Amsterdam';
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The account zone's calendar date `daysBack` days before today there, "YYYY-MM-DD". */
function zoneDate(daysBack: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  return new Date(Date.parse(`${today}T00:00:00Z`) - daysBack * DAY_MS).toISOString().slice(0, 10);
}

/** `iso`'s wall clock in the account zone, "YYYY-MM-DD HH:MM". */
const zoneWall = (iso: string) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

type Node = { id: string; nativeId: string; protection: { status: string; reason: string; lastBackupAt: string | null } };
type Backups = { backups: { edges: Array<{ node: { nativeId: string } }> } };

describe('zomro date-only backup dates in the protection view', () => {
  let harness: Harness;
  let simulator: ZomroSimulator;
  let target: Node;

  const nodes = async () =>
    (await harness.gql<{ instances: { edges: Array<{ node: Node }> } }>('{ instances { edges { node { id nativeId protection { status reason lastBackupAt } } } } }')).data!.instances.edges.map(
      (edge) => edge.node,
    );
  const datedAll = (createdate: string) => {
    for (const backup of simulator.backups.values()) if (backup.instanceId === target.nativeId) backup.createdate = createdate;
  };
  const targetNow = async () => (await nodes()).find((node) => node.nativeId === target.nativeId)!;

  beforeAll(async () => {
    harness = await startHarness({ kinds: ['zomro'], configure: withProviderSettings({ cacheTtlMs: 0, timezone: ZONE }) });
    simulator = harness.simulator('zomro').simulator as ZomroSimulator;
    // The seed's sixth instance has a backup an hour old and a schedule: PROTECTED.
    target = (await nodes())[5]!;
    expect(target.protection.status).toBe('PROTECTED');
  });
  afterAll(() => harness.close());

  it("yesterday's date alone (a backup of 23:00 or so) is within a 24-hour objective: PROTECTED, not STALE BACKUP_TOO_OLD", async () => {
    datedAll(zoneDate(1));
    const after = await targetNow();
    expect(after.protection).toMatchObject({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED' });
    // What the backup shows is still the day's start there, the earliest it can have been made.
    expect(zoneWall(after.protection.lastBackupAt!)).toBe(`${zoneDate(1)} 00:00`);
  });

  it('a date alone three days back is STALE BACKUP_TOO_OLD (guard)', async () => {
    datedAll(zoneDate(3));
    expect((await targetNow()).protection).toMatchObject({ status: 'STALE', reason: 'BACKUP_TOO_OLD' });
  });

  it("filter.createdAfter keeps a date-only backup whose day reaches the bound; a day that ends before it is left out", async () => {
    datedAll(zoneDate(1));
    const startOfYesterday = Date.parse((await targetNow()).protection.lastBackupAt!);
    // 22 hours into yesterday there (23:00 on a day the clocks go forward): inside the day whatever its length.
    const bound = new Date(startOfYesterday + 22 * HOUR_MS).toISOString();
    const query = 'query($id: ID!, $after: DateTime!) { backups(filter: { instanceId: $id, createdAfter: $after }) { edges { node { nativeId } } } }';
    const kept = await harness.gql<Backups>(query, { id: target.id, after: bound });
    expect(kept.errors).toBeUndefined();
    expect(kept.data!.backups.edges.length).toBeGreaterThan(0);

    datedAll(zoneDate(2));
    const dropped = await harness.gql<Backups>(query, { id: target.id, after: bound });
    expect(dropped.data!.backups.edges).toEqual([]);
  });
});
