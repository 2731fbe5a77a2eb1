import { mapRows, ROWS_PER_TURN } from '../domain/turns.js';
import type { RowListName } from '../domain/row-left-out.js';
import type { UpstreamScope } from '../upstream/scope.js';
import { UnreadableNativeId } from './native-id.js';

/** Which list a mapping reads, for its report of a row left out. */
export interface RowsOf {
  provider: string;
  list: RowListName;
  instanceNativeId: string | null;
}

const LEFT_OUT: unique symbol = Symbol('left out');

/**
 * `mapRows`, leaving out each row whose id the gateway cannot read back (UnreadableNativeId) and
 * telling the request (UpstreamScope.rowLeftOut), instead of failing the whole list: one hostile
 * or broken record among an account's hundreds took every other row with it (PROVIDER_ERROR for
 * the account). Any other failure of a row still fails the list: it says the answer is not what
 * the mapper reads, which a row left out would hide.
 *
 * A list of up to ROWS_PER_TURN rows (every list a dashboard reads) is mapped in one loop and
 * answered as it is, not in a promise: an async wrapper around `mapRows`, its closure and its
 * second promise cost each of the hundreds of lists of every uncached dashboard for the rare row
 * left out (about 0.1 MiB a dashboard). Its array is the one `map` would make; a row left out
 * only shortens it.
 */
export function mapReadableRows<Row, Mapped>(rows: readonly Row[], map: (row: Row) => Mapped, of: RowsOf, scope: UpstreamScope): Mapped[] | Promise<Mapped[]> {
  if (rows.length > ROWS_PER_TURN) return mapLongList(rows, map, of, scope);
  const mapped = new Array<Mapped>(rows.length);
  let kept = 0;
  for (let index = 0; index < rows.length; index++) {
    try {
      mapped[kept] = map(rows[index] as Row);
      kept += 1;
    } catch (error) {
      leaveOut(error, of, scope);
    }
  }
  if (kept < rows.length) mapped.length = kept;
  return mapped;
}

/** A list too long to map in one go: in slices (mapRows), a turn of the event loop between them. */
async function mapLongList<Row, Mapped>(rows: readonly Row[], map: (row: Row) => Mapped, of: RowsOf, scope: UpstreamScope): Promise<Mapped[]> {
  let leftOut = 0;
  const mapped = await mapRows(rows, (row): Mapped | typeof LEFT_OUT => {
    try {
      return map(row);
    } catch (error) {
      leaveOut(error, of, scope);
      leftOut += 1;
      return LEFT_OUT;
    }
  });
  return leftOut === 0 ? (mapped as Mapped[]) : mapped.filter((row): row is Mapped => row !== LEFT_OUT);
}

/** Tells the request of a row left out for its unreadable id; any other failure is the list's, thrown on. */
function leaveOut(error: unknown, of: RowsOf, scope: UpstreamScope): void {
  if (!(error instanceof UnreadableNativeId)) throw error;
  scope.rowLeftOut?.({ ...of, reason: error.message });
}
