import { describe, expect, it } from 'vitest';
import type { Backup } from '../../src/domain/types.js';
import { DeletingHere } from '../../src/gateway/deleting-here.js';
import { backupListKey } from '../../src/gateway/ids.js';

const backup = (providerId: string, instanceNativeId: string | null, nativeId: string, status: Backup['status'] = 'AVAILABLE', keyExtra: string[] = []): Backup => ({
  providerId,
  instanceNativeId,
  nativeId,
  keyExtra,
  name: `backup ${nativeId}`,
  status,
  origin: null,
  mode: null,
  createdAt: new Date('2025-01-01T00:00:00Z'),
  sizeBytes: null,
  protected: false,
  diskId: null,
  minDiskBytes: null,
  minRamBytes: null,
  osDistro: null,
  osVersion: null,
  region: null,
  note: null,
  definitionName: null,
  raw: {},
});

describe('DeletingHere: the backups a request deleted read DELETING wherever it reads them', () => {
  it('marks nothing at first: every backup and list is shown as the provider lists it, the list itself', () => {
    const here = new DeletingHere();
    expect(here.none).toBe(true);
    const listed = [backup('zstack', 'vm-1', 'b1'), backup('zstack', 'vm-1', 'b2')];
    expect(here.list(listed)).toBe(listed);
    expect(here.one(listed[0] as Backup)).toBe(listed[0]);
  });

  it('shows a marked backup DELETING, in a copy (the provider\'s record is left as it is), and only that one', () => {
    const here = new DeletingHere();
    const deleted = backup('zstack', 'vm-1', 'b1');
    here.mark(deleted);
    expect(here.none).toBe(false);
    const listedAgain = backup('zstack', 'vm-1', 'b1', 'AVAILABLE');
    const other = backup('zstack', 'vm-1', 'b2', 'PENDING');
    const shown = here.list([listedAgain, other]);
    expect(shown.map((item) => [item.nativeId, item.status])).toEqual([
      ['b1', 'DELETING'],
      ['b2', 'PENDING'],
    ]);
    expect(shown[0]).toEqual({ ...listedAgain, status: 'DELETING' });
    expect(shown[1]).toBe(other);
    expect(listedAgain.status).toBe('AVAILABLE');
    expect(here.one(backup('zstack', 'vm-1', 'b1', 'PENDING')).status).toBe('DELETING');
  });

  it('tells apart the same native ids under another provider, another instance or other extra keys', () => {
    const here = new DeletingHere();
    here.mark(backup('danube', 'vm-1', 'b1', 'AVAILABLE', ['disk-0']));
    expect(here.one(backup('zstack', 'vm-1', 'b1')).status).toBe('AVAILABLE');
    expect(here.one(backup('danube', 'vm-2', 'b1', 'AVAILABLE', ['disk-0'])).status).toBe('AVAILABLE');
    expect(here.one(backup('danube', 'vm-1', 'b1', 'AVAILABLE', ['disk-1'])).status).toBe('AVAILABLE');
    expect(here.one(backup('danube', 'vm-1', 'b1', 'AVAILABLE', ['disk-0'])).status).toBe('DELETING');
    const untouched = [backup('danube', 'vm-2', 'b1'), backup('zstack', 'vm-1', 'b1')];
    expect(here.list(untouched)).toBe(untouched);
  });

  it('keeps every backup marked under one instance, not only the last', () => {
    const here = new DeletingHere();
    here.mark(backup('zstack', 'vm-1', 'b1'));
    here.mark(backup('zstack', 'vm-1', 'b2'));
    const shown = here.list([backup('zstack', 'vm-1', 'b1'), backup('zstack', 'vm-1', 'b2'), backup('zstack', 'vm-1', 'b3')]);
    expect(shown.map((item) => item.status)).toEqual(['DELETING', 'DELETING', 'AVAILABLE']);
  });

  it('finds a backup whose provider names no instance (marked and read under the same empty instance)', () => {
    const here = new DeletingHere();
    here.mark(backup('onapp', null, 'b7'));
    expect(here.one(backup('onapp', null, 'b7')).status).toBe('DELETING');
    expect(here.one(backup('onapp', 'vm-1', 'b7')).status).toBe('AVAILABLE');
  });

  it('hands back a backup already DELETING, and a list holding only such, as they are (no copy)', () => {
    const here = new DeletingHere();
    here.mark(backup('zstack', 'vm-1', 'b1'));
    const already = backup('zstack', 'vm-1', 'b1', 'DELETING');
    expect(here.one(already)).toBe(already);
    const listed = [already, backup('zstack', 'vm-1', 'b2')];
    expect(here.list(listed)).toBe(listed);
  });

  it('shows a backup unmarked again as the provider lists it, leaving the other marks of its instance, and marks nothing once the last goes', () => {
    const here = new DeletingHere();
    const [kept, deleting] = [backup('zstack', 'vm-1', 'b1'), backup('zstack', 'vm-1', 'b2')];
    here.mark(kept);
    here.mark(deleting);
    here.unmarkListed('zstack', 'vm-2', 'b1');
    here.unmarkListed('zstack', 'vm-1', 'b9');
    expect(here.one(kept).status).toBe('DELETING');
    here.unmarkListed('zstack', 'vm-1', backupListKey(kept));
    expect(here.one(kept)).toBe(kept);
    expect(here.one(deleting).status).toBe('DELETING');
    expect(here.none).toBe(false);
    here.unmarkListed('zstack', 'vm-1', backupListKey(deleting));
    expect(here.none).toBe(true);
    const listed = [kept, deleting];
    expect(here.list(listed)).toBe(listed);
  });
});
