import { mapRows } from '../domain/turns.js';
import type { RowLeftOut, RowListName } from '../domain/row-left-out.js';
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
 */
export async function mapReadableRows<Row, Mapped>(rows: readonly Row[], map: (row: Row) => Mapped, of: RowsOf, scope: UpstreamScope): Promise<Mapped[]> {
  let leftOut = 0;
  const mapped = await mapRows(rows, (row): Mapped | typeof LEFT_OUT => {
    try {
      return map(row);
    } catch (error) {
      if (!(error instanceof UnreadableNativeId)) throw error;
      leftOut += 1;
      const report: RowLeftOut = { ...of, reason: error.message };
      scope.rowLeftOut?.(report);
      return LEFT_OUT;
    }
  });
  return leftOut === 0 ? (mapped as Mapped[]) : mapped.filter((row): row is Mapped => row !== LEFT_OUT);
}
