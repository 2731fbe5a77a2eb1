import { toStringOrNull } from '../../domain/units.js';

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
 * Whether a list row is a service BILLmanager has deleted: its code (`"4"`)
 * or its display word (`"Deleted"`) in `item_real_status` or `item_status`.
 * BILLmanager lists may keep deleted services; read as live, a deleted backup
 * was AVAILABLE, counted for its instance's protection and kept its delete
 * RUNNING for ever, and a deleted instance was listed as UNPROTECTED.
 * A display word in another language is not recognised (the code is in `$orig`,
 * which unwrap drops): such a row stays listed, as before.
 */
export function billingItemDeleted(row: Row): boolean {
  return STATUS_FIELDS.some((field) => {
    const word = toStringOrNull(row[field])?.trim().toLowerCase();
    return word === DELETED_CODE || word === DELETED_WORD;
  });
}
