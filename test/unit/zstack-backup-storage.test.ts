import { describe, expect, it } from 'vitest';
import type { Backup } from '../../src/domain/types.js';
import { storeOfBackup, storesToDeleteFrom } from '../../src/providers/zstack/backup-storage.js';

const CONFIGURED = 'a'.repeat(32);
const OTHER = 'b'.repeat(32);
const THIRD = 'c'.repeat(32);

/** A group whose volumes name `stores` each (raw.volumes, as the mapper keeps them). */
const groupOn = (...volumes: unknown[][]): Backup => ({ raw: { volumes: volumes.map((stores) => ({ backupStorageRefs: stores.map((backupStorageUuid) => ({ backupStorageUuid })) })) } }) as unknown as Backup;

describe('zstack: the image stores a delete names', () => {
  it('every store holding any volume, once each, in the order the volumes name them', () => {
    expect(storesToDeleteFrom(groupOn([CONFIGURED, OTHER], [OTHER]), CONFIGURED)).toEqual([CONFIGURED, OTHER]);
    // A data volume kept on a store the root volume is not: deleted there too.
    expect(storesToDeleteFrom(groupOn([OTHER], [THIRD]), CONFIGURED)).toEqual([OTHER, THIRD]);
  });

  it('the configured store when the backup names none; a provider value that is no ZStack uuid is never sent', () => {
    expect(storesToDeleteFrom(groupOn(), CONFIGURED)).toEqual([CONFIGURED]);
    expect(storesToDeleteFrom(groupOn(['x&deleteMode=Enforcing', 7, null, 'B'.repeat(32)]), CONFIGURED)).toEqual([CONFIGURED]);
    expect(storesToDeleteFrom({ raw: { volumes: 'many' } } as unknown as Backup, CONFIGURED)).toEqual([CONFIGURED]);
    expect(storesToDeleteFrom({ raw: { volumes: [null, { backupStorageRefs: 'x' }, { backupStorageRefs: [null, { backupStorageUuid: OTHER }] }] } } as unknown as Backup, CONFIGURED)).toEqual([OTHER]);
  });

  it('a revert still names one store: the configured one when it holds the whole backup, else the first that does', () => {
    expect(storeOfBackup(groupOn([OTHER, CONFIGURED], [CONFIGURED, OTHER]), CONFIGURED)).toBe(CONFIGURED);
    expect(storeOfBackup(groupOn([CONFIGURED, OTHER], [OTHER]), CONFIGURED)).toBe(OTHER);
  });

  it('a revert names the configured store when the backup names none, or none that holds it whole', () => {
    expect(storeOfBackup(groupOn(), CONFIGURED)).toBe(CONFIGURED);
    expect(storeOfBackup(groupOn([]), CONFIGURED)).toBe(CONFIGURED);
    expect(storeOfBackup(groupOn([OTHER], [THIRD]), CONFIGURED)).toBe(CONFIGURED);
  });

  it('a revert names a store only if every volume is kept there, not one that holds some of them', () => {
    expect(storeOfBackup(groupOn([OTHER, THIRD], [OTHER, THIRD], [THIRD]), CONFIGURED)).toBe(THIRD);
  });

  it('a store value is sent only when it is a whole uuid: nothing before or after it, and no list holding one', () => {
    for (const hostile of [`${OTHER}&deleteMode=Enforcing`, `../${OTHER}`, [OTHER]]) {
      expect(storesToDeleteFrom(groupOn([hostile]), CONFIGURED), JSON.stringify(hostile)).toEqual([CONFIGURED]);
      expect(storeOfBackup(groupOn([hostile]), CONFIGURED), JSON.stringify(hostile)).toBe(CONFIGURED);
    }
  });
});
