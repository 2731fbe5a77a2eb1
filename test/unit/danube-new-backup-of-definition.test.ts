import { describe, expect, it } from 'vitest';
import { lookupOf, lookupToken, newBackupOfDefinition, newestOfDefinition } from '../../src/providers/danube/new-backup-of-definition.js';

const row = (name: string, created: unknown, define: unknown = 'daily', diskId: unknown = 1) => ({ name, created, define, disk_id: diskId });
const JULY = Date.UTC(2024, 6, 11, 4, 0, 1);

describe('danube: the mark a create reads before its call', () => {
  it("is the newest created of the definition's backups of the disk, 0 for none, whatever other definitions and disks hold", () => {
    const rows = [row('daily-a', '2024-07-10T04:00:01Z'), row('daily-b', '2024-07-11T04:00:01.000Z'), row('weekly-c', '2030-01-01T00:00:00Z', 'weekly'), row('daily-d', '2030-01-01T00:00:00Z', 'daily', 2)];
    expect(newestOfDefinition(rows, 'daily', '1')).toBe(JULY);
    expect(newestOfDefinition(rows, 'monthly', '1')).toBe(0);
    expect(newestOfDefinition([], 'daily', '1')).toBe(0);
  });

  it('is unknown (null) when one of those backups has no readable date: none could be told newer than it', () => {
    expect(newestOfDefinition([row('daily-a', '2024-07-10T04:00:01Z'), row('daily-b', 'yesterday')], 'daily', '1')).toBeNull();
    expect(newestOfDefinition([row('daily-a', null)], 'daily', '1')).toBeNull();
    // Another definition's unreadable date is not this one's business.
    expect(newestOfDefinition([row('weekly-a', 'yesterday', 'weekly')], 'daily', '1')).toBe(0);
  });
});

describe("danube: a finished create's backup found by its definition", () => {
  const lookup = { definition: 'daily', diskId: '1', newestBefore: JULY };
  const before = [row('daily-a', '2024-07-10T04:00:01Z'), row('daily-b', '2024-07-11T04:00:01Z')];

  it('is the one backup of the definition and disk created after the mark', () => {
    expect(newBackupOfDefinition([...before, row('daily-20260101_000000', '2026-01-01T00:00:00Z')], lookup)).toBe('daily-20260101_000000');
    expect(newBackupOfDefinition([row('weekly-x', '2026-01-01T00:00:00Z', 'weekly'), row('daily-x', '2026-01-01T00:00:00Z', 'daily', 2), row('daily-y', '2026-01-01T00:00:00Z'), ...before], lookup)).toBe('daily-y');
  });

  it('is none while nothing new is listed, and none when two could be it', () => {
    expect(newBackupOfDefinition(before, lookup)).toBeNull();
    expect(newBackupOfDefinition([...before, row('daily-x', '2026-01-01T00:00:00Z'), row('daily-y', '2026-01-01T00:00:01Z')], lookup)).toBeNull();
  });

  it('counts a new-looking backup with no readable date as one that could be it', () => {
    expect(newBackupOfDefinition([...before, row('daily-x', '2026-01-01T00:00:00Z'), row('daily-y', 'soon')], lookup)).toBeNull();
  });

  it('names nothing that cannot be a backup name', () => {
    expect(newBackupOfDefinition([row('../../etc', '2026-01-01T00:00:00Z')], lookup)).toBeNull();
    expect(newBackupOfDefinition([{ name: 42, created: '2026-01-01T00:00:00Z', define: 'daily', disk_id: 1 }], lookup)).toBeNull();
  });
});

describe("danube: a create's lookup in its operation token", () => {
  const uuid = '8f3c7a52-1b0e-4c9d-9a6e-2f4d5b6c7d8e';

  it('round-trips [task, disk, definition, mark, VM uuid], and is none for ids made before it or without a mark', () => {
    expect(lookupOf(['task-1', '2', ...lookupToken('daily', JULY, uuid)])).toEqual({ definition: 'daily', diskId: '2', newestBefore: JULY, vmUuid: uuid });
    expect(lookupOf(['task-1', '1', ...lookupToken('daily', 0, null)])).toEqual({ definition: 'daily', diskId: '1', newestBefore: 0, vmUuid: null });
    expect(lookupOf(['task-1', '1', ...lookupToken('daily', null, uuid)])).toBeNull();
    expect(lookupOf(['task-1', '1'])).toBeNull();
  });

  it('reads an id made before the uuid was kept ([task, disk, definition, mark]) as one without it', () => {
    expect(lookupOf(['task-1', '1', 'daily', String(JULY)])).toEqual({ definition: 'daily', diskId: '1', newestBefore: JULY, vmUuid: null });
  });

  it('refuses a VM uuid that is no uuid as BAD_USER_INPUT (it goes into a path)', () => {
    for (const made of ['', '../../task/x', 'web01.example.com']) {
      expect(() => lookupOf(['task-1', '1', 'daily', String(JULY), made])).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    }
  });

  it('refuses a mark spelt any other way as BAD_USER_INPUT', () => {
    for (const mark of ['01', '1e3', '-1', '', ' 5', '99999999999999999']) {
      expect(() => lookupOf(['task-1', '1', 'daily', mark])).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    }
  });
});
