import { describe, expect, it } from 'vitest';
import { unrestorableBackup } from '../../src/providers/onapp/restorable-backup.js';

describe('onapp unrestorableBackup: the documented flags that refuse a restore before any call', () => {
  it('refuses built false and marked_for_delete true, the deletion first', () => {
    expect(unrestorableBackup({ built: false })).toContain('the backup is not built yet');
    expect(unrestorableBackup({ built: true, marked_for_delete: true })).toContain('marked for deletion');
    expect(unrestorableBackup({ built: false, marked_for_delete: true })).toContain('marked for deletion');
  });

  it('sends a built backup, and one whose flags are absent or not booleans (OnApp then answers)', () => {
    for (const raw of [{ built: true, marked_for_delete: false }, {}, { built: 'false' }, { built: null }, { marked_for_delete: 'true' }]) expect(unrestorableBackup(raw)).toBeNull();
  });
});

describe('onapp unrestorableBackup: the whole messages, which say nothing was sent and what to do', () => {
  it('for a backup marked for deletion, and for one not built yet', () => {
    expect(unrestorableBackup({ built: true, marked_for_delete: true })).toBe(
      'the backup is marked for deletion at OnApp (marked_for_delete: its auto-backup schedule is rotating it out), so nothing was sent to OnApp; restore from another backup',
    );
    expect(unrestorableBackup({ built: false, marked_for_delete: false })).toBe(
      'the backup is not built yet (OnApp lists it with built false while its transaction writes it), so nothing was sent to OnApp; wait until the backup reads AVAILABLE, then send the restore again',
    );
  });
});
