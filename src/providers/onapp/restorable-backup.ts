/**
 * Why OnApp cannot restore this backup now, read from the flags its backup record documents, or
 * null. "built – true if the storage server backed up has been built" and "built_at – the date when
 * the disk backup was built": a backup listed `built: false` is still being written by its
 * transaction (the gateway shows it CREATING), and OnApp refuses its restore with a 422 (the
 * simulator's `{"errors": ["Backup is not built yet"]}`; OnApp documents no body). It was sent:
 * the restore took a place in its VM's restore series and read the VM's transactions first, and
 * the caller got PROVIDER_ERROR `HTTP_422`, a provider fault, for a backup it had only to wait for.
 * "marked_for_delete – the backup is marked for deletion (for auto-backups)": its schedule's
 * rotation is removing it (the gateway shows it DELETING). Whether OnApp still restores one is
 * said nowhere we could read (checked 2026-12-05): the API's backup lists (4.1 to 6.x) give the
 * words above alone, OnApp's PHP wrapper (virtuozzo/OnApp-PHP-Wrapper-External,
 * VirtualMachine/Backup.php) maps the field and never reads it, naokij/squall has no such field,
 * and the admin guide's backup pages (Manage Virtual Server Backups, 6.6/6.7) do not name it; the
 * Rails code that decides is not public. So it stays refused: a restore overwrites the VM's disk,
 * and one reading an image the rotation deletes under it would fail part-way with the disk half
 * written, while the refusal costs the client a restore from another backup (the next one the
 * schedule keeps). Let through, it would read AVAILABLE though OnApp is deleting it.
 * `false` alone counts as unbuilt: a record without the flag is sent, and OnApp answers.
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
