import { describe, expect, it } from 'vitest';
import { createdBackupName } from '../../src/providers/danube/created-backup-name.js';

describe('danube: the backup a finished create names', () => {
  it('reads the API docs form and esdc-ce form', () => {
    expect(createdBackupName({ detail: 'name=daily-20131014_133701, disk_id=1' })).toBe('daily-20131014_133701');
    expect(createdBackupName({ detail: "hostname='web01.example.com', bkpname='daily-20131014_133701', disk_id=1, fsfreeze=false" })).toBe('daily-20131014_133701');
  });

  it('never takes a key that only ends in "name=" (hostname=, filename=) for the name', () => {
    expect(createdBackupName({ detail: "hostname='web01.example.com', disk_id=1" })).toBeNull();
    expect(createdBackupName({ detail: 'msg=saved, filename=/zones/backups/x, rc=0' })).toBeNull();
  });

  it('names nothing for a value no backup name can be, or no detail', () => {
    expect(createdBackupName({ detail: "name='../../etc', disk_id=1" })).toBeNull();
    expect(createdBackupName({ detail: 'name=, disk_id=1' })).toBeNull();
    expect(createdBackupName({ detail: 42 })).toBeNull();
    expect(createdBackupName(null)).toBeNull();
  });

  it('takes a value whole: a backup name followed by anything else names nothing', () => {
    expect(createdBackupName({ detail: "bkpname='daily-1 rm -rf', disk_id=1" })).toBeNull();
    expect(createdBackupName({ detail: `name=d${'a'.repeat(64)}, disk_id=1` })).toBeNull();
    expect(createdBackupName({ detail: `name=d${'a'.repeat(63)}, disk_id=1` })).toBe(`d${'a'.repeat(63)}`);
  });

  it('takes the first of a key given twice (a detail quoting another call after its own)', () => {
    expect(createdBackupName({ detail: "bkpname='daily-1', disk_id=1, note='bkpname=weekly-2'" })).toBe('daily-1');
    expect(createdBackupName({ detail: 'name=daily-1, disk_id=1, name=weekly-2' })).toBe('daily-1');
  });
});
