import { ROWS_PER_TURN } from '../domain/turns.js';
import type { Backup } from '../domain/types.js';
import { newestFirst, newestFirstInTurns } from './backup-order.js';
import { firstOfEachId, firstOfEachIdInTurns } from './first-of-each-id.js';
import { backupListKey } from './ids.js';

/**
 * Each instance's backups without repeats, newest first. A long list (an
 * instance with 300,000 backups) is done in slices with turns between, so
 * other requests on the replica go on meanwhile (in one go it held the
 * event loop some 0.2 s); a dashboard's lists of tens take no turn.
 */
export async function uniqueNewestFirst(lists: ReadonlyArray<Backup[] | Error>): Promise<Array<Backup[] | Error>> {
  const ordered: Array<Backup[] | Error> = [];
  for (const list of lists) {
    if (list instanceof Error) ordered.push(list);
    // A short list without a promise: a dashboard's batch is hundreds of them.
    else if (list.length <= ROWS_PER_TURN) ordered.push(newestFirst(firstOfEachId(list, backupListKey)));
    else ordered.push(await newestFirstInTurns(await firstOfEachIdInTurns(list, backupListKey)));
  }
  return ordered;
}
