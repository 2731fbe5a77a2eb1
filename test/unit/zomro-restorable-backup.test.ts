import { describe, expect, it } from 'vitest';
import type { BackupStatus } from '../../src/domain/types.js';
import { unrestorableBackup } from '../../src/providers/zomro/restorable-backup.js';

const backup = (status: BackupStatus, fleio_status?: unknown) => ({ status, raw: fleio_status === undefined ? {} : { fleio_status } });

describe('zomro unrestorableBackup: a backup Zomro cannot rebuild from now', () => {
  it('refuses one still being made (PENDING, CREATING), quoting its word, and says to wait', () => {
    expect(unrestorableBackup(backup('PENDING', 'Saving'))).toBe(
      "the backup is not created yet (it shows \"Saving\"; Zomro's backup is created once it shows Active), so nothing was sent to Zomro; wait until the backup reads AVAILABLE, then send the restore again",
    );
    expect(unrestorableBackup(backup('CREATING', 'Queued'))).toBe(
      "the backup is not created yet (it shows \"Queued\"; Zomro's backup is created once it shows Active), so nothing was sent to Zomro; wait until the backup reads AVAILABLE, then send the restore again",
    );
  });

  it('refuses a FAILED one, quoting its word, and says to restore from another', () => {
    expect(unrestorableBackup(backup('FAILED', 'Suspended'))).toBe(
      "the backup shows \"Suspended\", not Active (Zomro's word for a backup that is created), so the instance cannot be rebuilt from it and nothing was sent to Zomro; restore from another backup",
    );
  });

  it('quotes no word that is no plain token, nor a missing one', () => {
    for (const word of ['Saving now', 'x'.repeat(200), '"}\n', undefined, null]) {
      const refused = unrestorableBackup(backup('PENDING', word));
      expect(refused).toContain('(it shows a word that is no plain status;');
    }
    expect(unrestorableBackup(backup('FAILED', 'bad\u0000word'))).toContain('the backup shows a word that is no plain status, not Active');
  });

  it('sends every other status: AVAILABLE, RESTORING, DELETING and a word the gateway does not know (UNKNOWN)', () => {
    for (const status of ['AVAILABLE', 'RESTORING', 'DELETING', 'UNKNOWN'] as const) expect(unrestorableBackup(backup(status, 'Active'))).toBeNull();
  });
});
