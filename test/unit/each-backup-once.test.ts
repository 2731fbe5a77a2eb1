import { describe, expect, it } from 'vitest';
import type { Backup } from '../../src/domain/types.js';
import { eachBackupOnce } from '../../src/gateway/each-backup-once.js';

const backup = (nativeId: string, instanceNativeId: string | null, keyExtra: string[] = []): Backup =>
  ({ providerId: 'p', nativeId, instanceNativeId, keyExtra, name: `${nativeId}@${String(instanceNativeId)}` }) as Backup;

describe('eachBackupOnce', () => {
  it('hands back every backup, in order, when none names another instance than its list', () => {
    const lists = [
      { instanceNativeId: '1', backups: [backup('a', '1'), backup('b', '1')] },
      { instanceNativeId: '2', backups: [backup('a', '2')] },
    ];
    expect(eachBackupOnce(lists).map((item) => item.name)).toEqual(['a@1', 'b@1', 'a@2']);
  });

  it('keeps the first copy of a backup listed under two instances, whichever list holds its own', () => {
    const first = backup('a', '2');
    const lists = [
      { instanceNativeId: '1', backups: [backup('x', '1'), first] },
      { instanceNativeId: '2', backups: [backup('a', '2'), backup('y', '2')] },
      { instanceNativeId: '3', backups: [backup('a', '2')] },
    ];
    const once = eachBackupOnce(lists);
    expect(once.map((item) => item.name)).toEqual(['x@1', 'a@2', 'y@2']);
    expect(once[1]).toBe(first);
  });

  it('tells apart backups whose ids differ only in their extra keys, and keeps one without an instance once', () => {
    const lists = [
      { instanceNativeId: '1', backups: [backup('a', '1', ['1']), backup('a', '1', ['2']), backup('n', null)] },
      { instanceNativeId: '2', backups: [backup('a', '1', ['2']), backup('n', null)] },
    ];
    expect(eachBackupOnce(lists)).toHaveLength(3);
  });
});
