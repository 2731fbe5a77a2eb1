import { originalOf } from './wire.js';

/** A stored word as BILLmanager keeps coded values: ASCII, no digits first (a code such as "4" is no word). */
const PLAIN_WORD = /^[A-Za-z][A-Za-z_ -]{0,39}$/;

/**
 * A coded word field of a list row (`fleio_status`, `backup_type`, `instance_status`,
 * `fotbo_status`) as stored: BILLmanager sends a coded value's stored form in `$orig` beside the
 * word it shows in the panel's language in `$` (providers.md: "values can also carry `$orig` next
 * to `$`"; a backup's `protected`, a deleted service's status). Read from `$` alone, a Russian
 * panel's "Активен" was no status: every backup UNKNOWN, and a create FAILED at its first poll.
 * `$orig` is taken where it is a plain word; otherwise the shown value, as before.
 */
export function storedWord(row: Record<string, unknown>, field: string): unknown {
  const stored = originalOf(row, field)?.trim();
  return stored !== undefined && PLAIN_WORD.test(stored) ? stored : row[field];
}
