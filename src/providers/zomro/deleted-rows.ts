import { toStringOrNull } from '../../domain/units.js';
import { originalOf } from './wire.js';
import { storedWord } from './stored-word.js';

type Row = Record<string, unknown>;

/**
 * BILLmanager's code for a deleted service (item): its item statuses are 1
 * ordered, 2 active, 3 suspended, 4 deleted, 5 processing [inferred: Zomro's
 * panel reads `item_real_status` '3' as a service under penalty; another
 * BILLmanager's service lists carry deleted services as
 * `{"$orig": "4", "$": "Deleted"}`]. Zomro's backup document shows
 * `item_real_status` on each backup ("Service status within billmanager",
 * example "2") and Zomro's instance rows carry `item_status`.
 */
const DELETED_CODE = '4';
/** The display word BILLmanager sends in `$` beside the code in `$orig` (unwrap keeps `$`). */
const DELETED_WORD = 'deleted';

const STATUS_FIELDS = ['item_real_status', 'item_status'] as const;

/**
 * Glance's word for a deleted image, which Fleio passes on as `fleio_status`
 * (Zomro documents Saving and Active; the other Glance words are mapped in
 * mapper.ts).
 */
const DELETED_IMAGE = 'deleted';

const wordOf = (row: Row, field: string): string | undefined => toStringOrNull(row[field])?.trim().toLowerCase();

/**
 * Whether a list row is something deleted: a service BILLmanager has deleted
 * (its code `"4"` or its display word `"Deleted"` in `item_real_status` or
 * `item_status`), or a backup whose image Glance has deleted (`fleio_status`
 * `deleted`). Lists may keep such rows; read as live, a deleted backup was
 * AVAILABLE (or UNKNOWN), counted for its instance's protection and kept its
 * delete RUNNING, and a deleted instance was listed as UNPROTECTED. The code is
 * read from `$orig` too (wire.ts originalOf): the display word is in the panel's
 * language (Zomro's panel speaks Russian as well as English), and a Russian
 * "Удалена" beside `$orig` "4" kept a deleted backup listed and its delete RUNNING.
 */
export function listedAsDeleted(row: Row): boolean {
  if (toStringOrNull(storedWord(row, 'fleio_status'))?.trim().toLowerCase() === DELETED_IMAGE) return true;
  return STATUS_FIELDS.some((field) => {
    const word = wordOf(row, field);
    return word === DELETED_CODE || word === DELETED_WORD || originalOf(row, field)?.trim() === DELETED_CODE;
  });
}
