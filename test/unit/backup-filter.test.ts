import { describe, expect, it } from 'vitest';
import type { Backup, BackupStatus } from '../../src/domain/types.js';
import { applyBackupFilter, checkBackupFilter } from '../../src/gateway/backup-filter.js';

const backup = (nativeId: string, status: BackupStatus, createdAt: string | null): Backup =>
  ({ providerId: 'p', nativeId, status, createdAt: createdAt === null ? null : new Date(createdAt) }) as Backup;

const list = [
  backup('early', 'AVAILABLE', '2026-01-01T00:00:00Z'),
  backup('noon', 'FAILED', '2026-01-01T12:00:00Z'),
  backup('late', 'AVAILABLE', '2026-01-02T00:00:00Z'),
  backup('undated', 'AVAILABLE', null),
];
const ids = (backups: Backup[]) => backups.map((item) => item.nativeId);

describe('applyBackupFilter', () => {
  it('keeps every backup, in order, when the filter names no status and no date', () => {
    expect(ids(applyBackupFilter(list, {}))).toEqual(['early', 'noon', 'late', 'undated']);
    expect(ids(applyBackupFilter(list, { status: null, createdAfter: null, createdBefore: null }))).toEqual(['early', 'noon', 'late', 'undated']);
  });

  it('keeps the backups in one of the statuses asked for', () => {
    expect(ids(applyBackupFilter(list, { status: ['FAILED'] }))).toEqual(['noon']);
    expect(ids(applyBackupFilter(list, { status: ['AVAILABLE', 'FAILED'] }))).toEqual(['early', 'noon', 'late', 'undated']);
    expect(ids(applyBackupFilter(list, { status: ['RUNNING'] }))).toEqual([]);
  });

  it('createdAfter takes a backup made at that very instant; createdBefore does not', () => {
    expect(ids(applyBackupFilter(list, { createdAfter: new Date('2026-01-01T12:00:00Z') }))).toEqual(['noon', 'late']);
    expect(ids(applyBackupFilter(list, { createdBefore: new Date('2026-01-01T12:00:00Z') }))).toEqual(['early']);
    expect(ids(applyBackupFilter(list, { createdAfter: new Date('2026-01-01T00:00:00Z'), createdBefore: new Date('2026-01-02T00:00:00Z') }))).toEqual(['early', 'noon']);
  });

  it('leaves out a backup with no creation date once either bound is given: it cannot be said to be inside', () => {
    expect(ids(applyBackupFilter(list, { createdAfter: new Date('1970-01-01T00:00:00Z') }))).not.toContain('undated');
    expect(ids(applyBackupFilter(list, { createdBefore: new Date('9999-01-01T00:00:00Z') }))).toEqual(['early', 'noon', 'late']);
  });

  it('status and dates together: both must hold', () => {
    expect(ids(applyBackupFilter(list, { status: ['AVAILABLE'], createdBefore: new Date('2026-01-01T12:00:00Z') }))).toEqual(['early']);
  });
});

describe('checkBackupFilter', () => {
  const message = 'filter.createdAfter must be before filter.createdBefore';

  it('refuses bounds with no time between them (equal, or swapped) as BAD_USER_INPUT', () => {
    const at = new Date('2026-01-01T12:00:00Z');
    expect(() => checkBackupFilter({ createdAfter: at, createdBefore: new Date(at) })).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', message }));
    expect(() => checkBackupFilter({ createdAfter: new Date('2026-01-02T00:00:00Z'), createdBefore: at })).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', message }));
  });

  it('lets through bounds a millisecond apart, one bound alone, or none', () => {
    const at = new Date('2026-01-01T12:00:00Z');
    expect(() => checkBackupFilter({ createdAfter: at, createdBefore: new Date(at.getTime() + 1) })).not.toThrow();
    expect(() => checkBackupFilter({ createdAfter: at })).not.toThrow();
    expect(() => checkBackupFilter({ createdBefore: at })).not.toThrow();
    expect(() => checkBackupFilter({ createdAfter: null, createdBefore: null })).not.toThrow();
    expect(() => checkBackupFilter({})).not.toThrow();
  });
});
