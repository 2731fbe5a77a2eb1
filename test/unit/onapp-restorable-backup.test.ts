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
