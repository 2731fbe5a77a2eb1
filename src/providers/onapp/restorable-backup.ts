/**
 * Why OnApp cannot restore this backup now, read from the flags its backup record documents, or
 * null. "built – true if the storage server backed up has been built" and "built_at – the date when
 * the disk backup was built": a backup listed `built: false` is still being written by its
 * transaction (the gateway shows it CREATING), and OnApp refuses its restore with a 422 (the
 * simulator's `{"errors": ["Backup is not built yet"]}`; OnApp documents no body). It was sent:
 * the restore took a place in its VM's restore series and read the VM's transactions first, and
 * the caller got PROVIDER_ERROR `HTTP_422`, a provider fault, for a backup it had only to wait for.
 * "marked_for_delete – the backup is marked for deletion (for auto-backups)": its schedule's
 * rotation is removing it (the gateway shows it DELETING); OnApp does not say whether it still
 * restores one, and a restore reading an image being deleted would fail part-way, so it is
 * refused too. `false` alone counts as unbuilt: a record without the flag is sent, and OnApp answers.
 */
export function unrestorableBackup(raw: Readonly<Record<string, unknown>>): string | null {
  if (raw.marked_for_delete === true) {
    return 'the backup is marked for deletion at OnApp (marked_for_delete: its auto-backup schedule is rotating it out), so nothing was sent to OnApp; restore from another backup';
  }
  if (raw.built === false) {
    return 'the backup is not built yet (OnApp lists it with built false while its transaction writes it), so nothing was sent to OnApp; wait until the backup reads AVAILABLE, then send the restore again';
  }
  return null;
}
