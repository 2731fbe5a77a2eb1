/**
 * The accounts a list spanning accounts merges, in the order their rows
 * follow one another (the config's: acrossProviders appends each account's
 * rows in turn), and how a row names its account.
 */
export interface AccountOrder<T> {
  accounts: readonly string[];
  accountOf: (item: T) => string;
}

/**
 * Where a cursor whose item is gone resumes when its whole account is gone
 * from the list (the account failed between two pages): at the first row of
 * the first account after it in the order, the end where none follows. Its
 * old place counted the rows of its account before it, and the later
 * accounts' rows had moved up into them: a page started there skipped as
 * many rows never shown, and a page ending there served as many twice.
 * null where the account still has rows (the item alone is gone, and the one
 * that followed it holds its old place) or is no account of the order.
 */
export function placeAfterGoneAccount<T>(items: readonly T[], account: string, order: AccountOrder<T>): number | null {
  const rank = order.accounts.indexOf(account);
  if (rank < 0) return null;
  const later = new Set(order.accounts.slice(rank + 1));
  // Rows come account by account: the account's own, if any, lie before the first later one.
  for (let index = 0; index < items.length; index++) {
    const rowAccount = order.accountOf(items[index] as T);
    if (rowAccount === account) return null;
    if (later.has(rowAccount)) return index;
  }
  return items.length;
}
