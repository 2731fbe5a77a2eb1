/**
 * What an OnApp transaction's `status` says of its work. The words are not documented
 * (providers.md: "Transaction status values: [NF]"; OnApp's pages name "complete, failed,
 * pending, etc"), so they are read lower-cased and `cancelled` in both spellings: compared
 * exactly, `Complete` or `canceled` read as still running, and the restore never ended.
 * A word none of these is `UNKNOWN`: the caller decides how long to wait on it.
 */
export type TransactionState = 'SUCCEEDED' | 'FAILED' | 'RUNNING' | 'UNKNOWN';

const STATE_BY_WORD: ReadonlyMap<string, TransactionState> = new Map([
  ['complete', 'SUCCEEDED'],
  ['failed', 'FAILED'],
  ['cancelled', 'FAILED'],
  ['canceled', 'FAILED'],
  ['pending', 'RUNNING'],
  ['running', 'RUNNING'],
]);

export function transactionState(status: unknown): TransactionState {
  if (typeof status !== 'string') return 'UNKNOWN';
  return STATE_BY_WORD.get(status.trim().toLowerCase()) ?? 'UNKNOWN';
}
