import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, withAccountCopy, type Harness } from '../helpers/harness.js';

/**
 * Each VM's only backup, as a hostile (or broken) OnApp dates it. Every VM
 * has a daily schedule, so a date read as recent would make it PROTECTED.
 */
const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();
const BACKUP_DATES: Record<number, () => string> = {
  1: () => '2024-99-99',
  2: () => '+275760-09-13T00:00:00Z',
  3: () => '2099-01-01T00:00:00Z',
  4: () => '0000-00-00 00:00:00',
  5: () => '0001-01-01',
  6: hourAgo,
};

/** An OnApp API whose VMs each have one built backup, dated by BACKUP_DATES, and one disk with a daily schedule. */
async function hostileOnapp(): Promise<{ server: Server; url: string }> {
  const ids = Object.keys(BACKUP_DATES).map(Number);
  const answer = (path: string): unknown => {
    if (path === '/virtual_machines.json') return ids.map((id) => ({ virtual_machine: { id, label: `vm-${id}`, identifier: `i${id}`, booted: true } }));
    if (path === '/settings/disks.json') return ids.map((id) => ({ disk: { id: 100 + id, virtual_machine_id: id, is_swap: false } }));
    const disks = /^\/virtual_machines\/(\d+)\/disks\.json$/.exec(path);
    if (disks) return [{ disk: { id: 100 + Number(disks[1]), virtual_machine_id: Number(disks[1]), is_swap: false } }];
    const schedules = /^\/settings\/disks\/(\d+)\/schedules\.json$/.exec(path);
    if (schedules) return [{ schedule: { id: Number(schedules[1]), action: 'autobackup', duration: 1, period: 'days', start_at: '2024-01-01T03:30:00Z', created_at: '2024-01-01T00:00:00Z' } }];
    const backups = /^\/virtual_machines\/(\d+)\/backups\.json$/.exec(path);
    const date = backups ? BACKUP_DATES[Number(backups[1])] : undefined;
    if (date) return [{ backup: { id: 1000 + Number(backups?.[1]), built: true, backup_type: 'normal', initiated: 'days', created_at: date() } }];
    return [];
  };
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer(new URL(req.url ?? '/', 'http://x').pathname)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

interface Node {
  name: string;
  backups: Array<{ createdAt: string | null }>;
  protection: { status: string; reason: string; lastBackupAt: string | null };
}

/** RFC 3339 as Go's time.RFC3339 and Python's fromisoformat read it: a four-digit year, no sign. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

describe('a provider that sends malformed or far-future backup dates', () => {
  let harness: Harness;
  let hostile: { server: Server; url: string };

  beforeAll(async () => {
    hostile = await hostileOnapp();
    harness = await startHarness({ kinds: ['onapp'], configure: [withAccountCopy('onapp', { id: 'onapp-hostile', url: hostile.url })] });
  }, 60_000);
  afterAll(async () => {
    await harness.close();
    hostile.server.close();
  });

  it('counts a VM whose only backup has such a date as not protected, with the date unknown, never a non-RFC 3339 string', async () => {
    const answer = await harness.gql<{ protectionSummary: { counts: Record<string, number>; providerErrors: unknown[] }; instances: { edges: Array<{ node: Node }> } }>(`{
      protectionSummary(providerId: "onapp-hostile") { counts { instances protected stale unprotected unknown } providerErrors { code } }
      instances(providerId: "onapp-hostile") { edges { node { name backups { createdAt } protection { status reason lastBackupAt } } } }
    }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.protectionSummary).toEqual({ counts: { instances: 6, protected: 1, stale: 5, unprotected: 0, unknown: 0 }, providerErrors: [] });
    const byName = Object.fromEntries((answer.data?.instances.edges ?? []).map(({ node }) => [node.name, node]));
    const unknownDate = { backups: [{ createdAt: null }], protection: { status: 'STALE', reason: 'BACKUP_AGE_UNKNOWN', lastBackupAt: null } };
    expect(byName['vm-1']).toMatchObject(unknownDate);
    expect(byName['vm-2']).toMatchObject(unknownDate);
    expect(byName['vm-4']).toMatchObject(unknownDate);
    expect(byName['vm-5']).toMatchObject(unknownDate);
    // A readable date far ahead is shown as the provider gave it, but proves nothing.
    expect(byName['vm-3']).toMatchObject({ backups: [{ createdAt: '2099-01-01T00:00:00.000Z' }], protection: { status: 'STALE', reason: 'BACKUP_DATED_IN_FUTURE', lastBackupAt: '2099-01-01T00:00:00.000Z' } });
    expect(byName['vm-6']?.protection).toMatchObject({ status: 'PROTECTED', reason: 'RECENT_BACKUP_SCHEDULED' });
    const dates = Object.values(byName).flatMap((node) => [...node.backups.map((backup) => backup.createdAt), node.protection.lastBackupAt]).filter((date) => date !== null);
    expect(dates).toHaveLength(4);
    for (const date of dates) expect(date).toMatch(RFC3339);
  }, 60_000);
});
