import { badInput } from '../domain/errors.js';
import { decodeId, idTypeOf, withArticle } from '../domain/ids.js';
import type { Connection, ProviderFailure } from '../domain/connection.js';
import { placeAfterGoneAccount, type AccountOrder } from './account-order.js';
import { PageInfo } from './page-info.js';
import { pageSizeOf, pageWithin, type PageArgs } from './page-window.js';

/** The longest key a cursor names: the longest id the gateway takes as input. A longer one (a hostile provider's id) makes an offset cursor. */
const MAX_KEY_LENGTH = 2_048;
/** base64url of `k:`, nine digits, `:`, the longest key, `:` and nine digits. */
export const MAX_CURSOR_LENGTH = Math.ceil(((22 + MAX_KEY_LENGTH) * 4) / 3);
/** The argument a cursor came in, for the refusal's words. */
type CursorArgument = 'after' | 'before';

/** What a cursor names: the item's place in the list, and the item itself when the list has keys. */
interface CursorPlace {
  place: number;
  key: string | null;
  /** The item's place among its own account's rows: where a gone item resumes (placeOfGone); null in a cursor without it. */
  placeInAccount: number | null;
  /** The key of the item that followed it when the cursor was made: where a page after or before a gone item stands (placeOfGone); null in a cursor without it. */
  nextKey: string | null;
  /** The item's rank when the cursor was made (a backup's time): where the page after it stands in a ranked list (placeByRank); null in a cursor without it. */
  rank: number | null;
}

/**
 * What a list is sorted by, greatest first, within each account (backups: their time, newest
 * first); null for an item without one, which comes last in the provider's order.
 */
export type RankOf<T> = (item: T) => number | null;

const offsetCursor = (place: number): string => Buffer.from(`o:${place}`).toString('base64url');
/**
 * A keyed cursor names its item, its place in its account and, within the one key's room (so a
 * cursor is no longer than before), its rank (placeByRank) and the key of the item after it (placeOfGone).
 */
function keyedCursor(place: number, key: string, placeInAccount: number | null, nextKey: string | null, rank: number | null): string {
  if (key.length > MAX_KEY_LENGTH) return offsetCursor(place);
  const rankText = placeInAccount !== null && rank !== null && Number.isSafeInteger(rank) && key.length + 1 + String(rank).length <= MAX_KEY_LENGTH ? `@${rank}` : '';
  const next = placeInAccount !== null && nextKey !== null && key.length + rankText.length + 1 + nextKey.length <= MAX_KEY_LENGTH ? `:${nextKey}` : '';
  return Buffer.from(`k:${place}:${key}${placeInAccount === null ? '' : `:${placeInAccount}`}${rankText}${next}`).toString('base64url');
}

function decodeCursor(cursor: string, argument: CursorArgument): CursorPlace {
  const text = cursor.length <= MAX_CURSOR_LENGTH ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  // `o:` is also what a list with keys made before it named its items: it is still a place.
  const offset = /^o:(\d{1,9})$/.exec(text);
  if (offset) return { place: Number(offset[1]), key: null, placeInAccount: null, nextKey: null, rank: null };
  const keyed = /^k:(\d{1,9}):([A-Za-z0-9_-]{1,2048})(?::(\d{1,9})(?:@(-?\d{1,16}))?(?::([A-Za-z0-9_-]{1,2048}))?)?$/.exec(text);
  if (keyed) {
    const rank = keyed[4] === undefined ? null : Number(keyed[4]);
    return { place: Number(keyed[1]), key: keyed[2]!, placeInAccount: keyed[3] === undefined ? null : Number(keyed[3]), nextKey: keyed[5] ?? null, rank: rank !== null && Number.isSafeInteger(rank) ? rank : null };
  }
  throw badInput(`${argument} must be a cursor from a previous page`);
}

/**
 * The page arguments' mistakes (a size out of bounds, a cursor not from a previous page), refused
 * as `paginate` refuses them, in its order: none needs the list, so a caller refuses them before
 * any is read (a garbage `after` cost every account's list read, 23 calls for `backups`).
 */
export function checkPageArgs(args: PageArgs, maxPageSize: number): void {
  pageSizeOf(args, maxPageSize);
  if (args.after) decodeCursor(args.after, 'after');
  if (args.before) decodeCursor(args.before, 'before');
}

/**
 * Where the page after the cursor starts. With keys, right after the cursor's
 * item wherever it is now: a list read again for the next page may have
 * gained or lost items before it (a backup made, one expired), and an offset
 * then served one item twice or skipped one never shown. Where the item is
 * gone, or a ranked list's item has another rank now, see placeOfGone.
 *
 * The rule a client can count on: no row that stayed put is skipped; a row
 * is served again only where the list alone cannot tell it was shown (a
 * provider re-ordering an unranked list, rows of one rank, a row already
 * shown whose rank fell below the cursor's: its time became older); a row a
 * re-sort moved behind the cursor is not on a later page, as a row made
 * there is not. Never a loop: on a list unchanged between pages each page starts past
 * the last one's last row, and a ranked list's pages go down its ranks.
 */
function startAfter<T>(items: readonly T[], cursor: CursorPlace, keyOf: ((item: T) => string) | undefined, order: AccountOrder<T> | undefined, rankOf: RankOf<T> | undefined): number {
  const found = placeNow(items, cursor, keyOf, 'after');
  if (found >= 0 && !movedSince(items[found], cursor, rankOf)) return found + 1;
  return placeOfGone(items, cursor, keyOf, order, rankOf, 'after');
}

/**
 * Where the page before the cursor ends (the cursor's item not included): at
 * the item wherever it is now, as `startAfter` finds it, so a page read
 * backward from a forward page's cursor meets that page exactly. Where the
 * item is gone, see placeOfGone.
 */
function endBefore<T>(items: readonly T[], cursor: CursorPlace, keyOf: ((item: T) => string) | undefined, order: AccountOrder<T> | undefined, rankOf: RankOf<T> | undefined): number {
  const found = placeNow(items, cursor, keyOf, 'before');
  if (found >= 0 && !movedSince(items[found], cursor, rankOf)) return found;
  return placeOfGone(items, cursor, keyOf, order, rankOf, 'before');
}

/** Whether a ranked list's cursor item has another rank now (a backup's time changed): it stands elsewhere in the order, and its place says nothing of the rows shown. */
function movedSince<T>(item: T | undefined, cursor: CursorPlace, rankOf: RankOf<T> | undefined): boolean {
  return rankOf !== undefined && cursor.rank !== null && item !== undefined && rankOf(item) !== cursor.rank;
}

/**
 * Where a ranked list's cursor stands when its item is gone or has moved (its rank changed): among
 * its account's rows now, at the first that ranks below the cursor's rank (older than the backup
 * was), not the cursor's item itself. The rows ranked above it are the rows shown, wherever a
 * re-sort put them, so none is served again; the item that followed it, taken where it stands, had
 * moved up among them when its own rank rose, and the page after started there, serving again the
 * rows shown after its new place. Rows of the cursor's very rank (made in the same second) come in
 * the provider's order: where the item that followed it is one of them, at it (those before it were
 * shown); where it ranks below, after them all (they were shown, before the cursor's item); else a
 * page after it starts at the first of them and a page before it ends after the last, serving one
 * again rather than skipping one. null where the list is unranked,
 * the cursor names no rank, or its account has no rows now.
 */
function placeByRank<T>(items: readonly T[], cursor: CursorPlace, keyOf: ((item: T) => string) | undefined, order: AccountOrder<T> | undefined, rankOf: RankOf<T> | undefined, argument: CursorArgument): number | null {
  if (!rankOf || !keyOf || cursor.rank === null || cursor.key === null) return null;
  const account = order ? accountNamedBy(cursor.key) : null;
  const rows = !order ? { start: 0, end: items.length } : account === null ? null : rowsOfAccount(items, account, order);
  if (!rows) return null;
  const rank = cursor.rank;
  let tied = -1;
  let below = rows.end;
  let next = -1;
  for (let index = rows.start; index < rows.end; index++) {
    const item = items[index] as T;
    const key = keyOf(item);
    if (key === cursor.key) continue;
    const itemRank = rankOf(item);
    if (key === cursor.nextKey && next < 0) next = index;
    if (itemRank === rank && tied < 0) tied = index;
    if ((itemRank === null || itemRank < rank) && below === rows.end) below = index;
  }
  const nextRank = next >= 0 ? rankOf(items[next] as T) : undefined;
  if (nextRank === rank) return next;
  if (nextRank === null || (nextRank !== undefined && nextRank < rank)) return below;
  // A page before it ends after them all, as a page after it starts at the first: one served again, none skipped.
  if (argument === 'before') return below;
  return tied >= 0 ? Math.min(tied, below) : below;
}

/**
 * Where a keyed cursor whose item is gone (or that came from another list)
 * stands now. Where the cursor names the item that followed it and that one
 * is still listed, there: the gone item's place, whichever way the page
 * reads (after it: never shown; before it: the page the cursor came from
 * starts there). Its old place within its account counted rows before it
 * that may be gone too, and started (or ended) as many rows on: a page after
 * it skipped rows never shown, a page before it served rows again. Else its
 * old place within its account, the best guess left where
 * its account still has rows: the item that followed it has moved up into
 * it. Its old place in the whole list counted the earlier accounts' rows as
 * they were: one of them gone (or the whole account failed) started the next
 * page as many rows on, past rows never shown; a cursor without the place
 * in its account still takes that one. Where the whole
 * account is gone (it failed between pages), right before the next account's
 * first row (placeAfterGoneAccount).
 */
function placeOfGone<T>(items: readonly T[], cursor: CursorPlace, keyOf: ((item: T) => string) | undefined, order: AccountOrder<T> | undefined, rankOf: RankOf<T> | undefined, argument: CursorArgument): number {
  const ranked = placeByRank(items, cursor, keyOf, order, rankOf, argument);
  if (ranked !== null) return ranked;
  const next = cursor.nextKey !== null && keyOf ? nearestWithKey(items, cursor.place, cursor.nextKey, keyOf) : -1;
  if (next >= 0) return next;
  const account = order && cursor.key !== null ? accountNamedBy(cursor.key) : null;
  const afterAccount = order && account !== null ? placeAfterGoneAccount(items, account, order) : null;
  if (afterAccount !== null) return afterAccount;
  const rows = order && account !== null && cursor.placeInAccount !== null ? rowsOfAccount(items, account, order) : null;
  if (rows && cursor.placeInAccount !== null) return Math.min(rows.start + cursor.placeInAccount, rows.end);
  return Math.min(cursor.place, items.length);
}

/** Where an account's rows lie in the list now (they come account by account); null when it has none. */
function rowsOfAccount<T>(items: readonly T[], account: string, order: AccountOrder<T>): { start: number; end: number } | null {
  const start = items.findIndex((item) => order.accountOf(item) === account);
  if (start < 0) return null;
  let end = start;
  while (end < items.length && order.accountOf(items[end] as T) === account) end++;
  return { start, end };
}

/** The place among its account's rows of each row from `from` to `to`: one walk back to its account's first row, then counted on. */
function placesInAccount<T>(items: readonly T[], from: number, to: number, order: AccountOrder<T>): number[] {
  const places: number[] = [];
  if (from >= to) return places;
  let place = 0;
  const first = order.accountOf(items[from] as T);
  while (from - place - 1 >= 0 && order.accountOf(items[from - place - 1] as T) === first) place++;
  for (let index = from; index < to; index++) {
    if (index > from && order.accountOf(items[index] as T) !== order.accountOf(items[index - 1] as T)) place = 0;
    places.push(place++);
  }
  return places;
}

/** The account a cursor's key (a global id) names; null for a key that is no id the gateway makes. */
function accountNamedBy(key: string): string | null {
  try {
    return decodeId(key).providerId;
  } catch {
    return null;
  }
}

/** The cursor's item's place in the list now; -1 when a keyed cursor's item is gone. An offset cursor's place is taken as it is. */
function placeNow<T>(items: readonly T[], cursor: CursorPlace, keyOf: ((item: T) => string) | undefined, argument: CursorArgument): number {
  if (cursor.key === null || !keyOf) return cursor.place;
  const found = nearestWithKey(items, cursor.place, cursor.key, keyOf);
  if (found < 0) refuseAnotherListsCursor(cursor.key, items[0] === undefined ? null : keyOf(items[0]), argument);
  return found;
}

/**
 * A cursor naming an item of another type than the list's (a `backups`
 * cursor sent to `instances`) is a client's mix-up: taken as a place, it
 * answered a page from somewhere in the list as if nothing were wrong.
 * Checked only where the cursor's item was not found, so a page costs nothing more.
 */
function refuseAnotherListsCursor(cursorKey: string, listKey: string | null, argument: CursorArgument): void {
  const named = idTypeOf(cursorKey);
  const held = listKey === null ? null : idTypeOf(listKey);
  if (named !== null && held !== null && named !== held) {
    throw badInput(`${argument} must be a cursor from a previous page of this list: it names ${withArticle(named)}, and this list holds ${held} items`);
  }
}

/**
 * An edge whose cursor is made when it is read: a dashboard asks for the
 * nodes and `endCursor`, not for every edge's cursor, and a keyed cursor
 * costs an id and a base64 encoding each.
 */
class Edge<T> {
  constructor(
    readonly node: T,
    private readonly place: number,
    private readonly keyOf: ((item: T) => string) | undefined,
    private readonly placeInAccount: number | null,
    /** The list's item after this one, if any: its key goes in the cursor. */
    private readonly next: T | undefined,
    private readonly rankOf: RankOf<T> | undefined,
  ) {}

  get cursor(): string {
    if (!this.keyOf) return offsetCursor(this.place);
    // Named only where the cursor can carry it (keyedCursor): each key is a base64 of JSON.
    const nextKey = this.placeInAccount === null || this.next === undefined ? null : this.keyOf(this.next);
    return keyedCursor(this.place, this.keyOf(this.node), this.placeInAccount, nextKey, this.rankOf ? this.rankOf(this.node) : null);
  }
}

/**
 * Where the item with `key` is, nearest its old place: a list may name one
 * item twice (a provider listing a backup under two VMs puts both copies
 * side by side, newest first). The first copy of a cursor on the second
 * started the next page at the second again: `first: 1` served it forever.
 * On an unchanged list the nearest is the cursor's own, so every page moves on.
 * That place is looked at first: an item's key is its global id (a base64
 * of JSON, remembered per item), and a scan named every item up to a page
 * deep in 300,000 backups to find the one at its own place.
 */
function nearestWithKey<T>(items: readonly T[], place: number, key: string, keyOf: (item: T) => string): number {
  if (place < items.length && keyOf(items[place] as T) === key) return place;
  let nearest = -1;
  for (let index = 0; index < items.length; index++) {
    if (keyOf(items[index] as T) !== key) continue;
    if (nearest < 0 || Math.abs(index - place) < Math.abs(nearest - place)) nearest = index;
    if (index >= place) break;
  }
  return nearest;
}

/**
 * Pagination over a list the gateway already holds in full (providers list
 * everything anyway), forward (`first`, `after`) or backward (`last`,
 * `before`). `keyOf` (an item's global id, made of URL-safe characters)
 * makes cursors that name their item; without it they are offsets. `order`:
 * the accounts a list spanning accounts merges, in the order of its rows, so
 * a cursor of an account gone between pages resumes where its rows stood.
 * `rankOf`: what a sorted list is sorted by (backups: their time), so a
 * cursor's page stands by its item's rank when a re-sort moved its rows (placeByRank).
 */
export function paginate<T>(
  items: readonly T[],
  args: PageArgs,
  maxPageSize: number,
  providerErrors: ProviderFailure[],
  keyOf?: (item: T) => string,
  order?: AccountOrder<T>,
  rankOf?: RankOf<T>,
): Connection<T> {
  const size = pageSizeOf(args, maxPageSize);
  const start = args.after ? Math.min(startAfter(items, decodeCursor(args.after, 'after'), keyOf, order, rankOf), items.length) : 0;
  // A `before` at or ahead of `after` leaves nothing between them.
  const end = args.before ? Math.max(start, Math.min(endBefore(items, decodeCursor(args.before, 'before'), keyOf, order, rankOf), items.length)) : items.length;
  const bounds = pageWithin(end - start, start, items.length - end, size);
  const pageStart = start + bounds.from;
  // A list of no accounts' order is one account's rows (one instance's backups): each row's place in
  // it is its place among them, and lets its cursor name the row after it (keyedCursor).
  const inAccount = !keyOf ? [] : order ? placesInAccount(items, pageStart, start + bounds.to, order) : items.slice(pageStart, start + bounds.to).map((_item, index) => pageStart + index);
  const edges = items.slice(pageStart, start + bounds.to).map((node, index) => new Edge(node, pageStart + index, keyOf, inAccount[index] ?? null, items[pageStart + index + 1], rankOf));
  return {
    edges,
    pageInfo: new PageInfo(bounds.hasNextPage, bounds.hasPreviousPage, edges),
    totalCount: items.length,
    providerErrors,
  };
}
