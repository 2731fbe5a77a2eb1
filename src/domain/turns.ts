import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * A provider answer of hundreds of thousands of records (an account with
 * 300,000 backups of one VM: 25 MB) is read, scrubbed, parsed, mapped and
 * sorted by synchronous code; done in one go it held the event loop for
 * over a second, and every other client waited. Work on anything that large
 * gives the loop a turn between steps, and mapping between slices of rows.
 * What a dashboard reads (tens of rows, kilobytes) never waits: the checks
 * are a comparison each.
 */
export const ROWS_PER_TURN = 5_000;
/**
 * Characters of answer text past which each step (scrub, parse) gets a turn of its own; the scrub
 * also gives one after each piece of about this many characters (SecretSet.scrubAnswer).
 */
export const CHARS_PER_TURN = 1_000_000;

/** Lets other work run first: a turn of the event loop. */
export { nextTurn };

/** Lets other work run first when `size` is past `limit`. */
export async function turnIfPast(size: number, limit: number): Promise<void> {
  if (size > limit) await nextTurn();
}

/** `rows.map(map)`, giving the event loop a turn after every ROWS_PER_TURN rows of a long list. */
export async function mapRows<Row, Mapped>(rows: readonly Row[], map: (row: Row) => Mapped): Promise<Mapped[]> {
  if (rows.length <= ROWS_PER_TURN) return rows.map(map);
  const mapped: Mapped[] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_TURN) {
    if (start > 0) await nextTurn();
    const end = Math.min(rows.length, start + ROWS_PER_TURN);
    for (let index = start; index < end; index++) mapped.push(map(rows[index] as Row));
  }
  return mapped;
}
