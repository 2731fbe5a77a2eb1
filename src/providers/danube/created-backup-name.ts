/**
 * The backup a finished create names in its result's `detail`, in either of
 * the two forms Danube is known to write:
 * - the API docs' example: `"detail": "name=daily-20131014_133701, disk_id=1"`;
 * - esdc-ce's own detail of the call (api/vm/backup/vm_backup.py `_detail`):
 *   `"hostname='web01.example.com', bkpname='daily-20131014_133701', disk_id=1, fsfreeze=false"`.
 *
 * Keys are matched whole: "hostname=" and "bkpname=" both end in "name=",
 * and reading the first "name=" anywhere took the VM's hostname, quotes and
 * all, for the backup's name. A value that cannot be a backup name
 * (esdc-ce BackupSerializer: `^[A-Za-z0-9][A-Za-z0-9._-]*$`) names nothing.
 */
const KEY_VALUE = /(?:^|[\s,])(bkpname|name)=(?:'([^']*)'|([^,\s']*))/g;
const BACKUP_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function createdBackupName(result: unknown): string | null {
  const detail = (result as { detail?: unknown } | null)?.detail;
  if (typeof detail !== 'string') return null;
  const found = new Map<string, string>();
  for (const match of detail.matchAll(KEY_VALUE)) {
    const key = match[1] as string;
    if (!found.has(key)) found.set(key, match[2] ?? match[3] ?? '');
  }
  const name = found.get('bkpname') ?? found.get('name') ?? null;
  return name !== null && BACKUP_NAME.test(name) ? name : null;
}
