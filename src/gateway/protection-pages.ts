import { badInput } from '../domain/errors.js';
import type { Connection, ProviderFailure } from '../domain/connection.js';
import type { Instance } from '../domain/types.js';
import { placeAfterGoneAccount } from './account-order.js';
import { loaderKey } from './loaders.js';
import { PageInfo } from './page-info.js';
import { pageSizeOf, pageWithin, type PageArgs } from './page-window.js';

/** Room for an account id and a provider's native id, far above any real pair, and the place in its account (24 characters: 16 digits). */
const MAX_CURSOR_LENGTH = 1_048;

/**
 * A cursor of the protection-filtered list: the instance itself (its account
 * and native id) and its place in the account-ordered list of every instance,
 * not its place among the matches. An instance's status moves between pages
 * (an operator backs up the first page, a backup ages past the objective), so
 * an offset among the matches skipped as many instances as left the filter
 * before the cursor: the very workflow "list the unprotected, back these up,
 * next page" lost instances that were never shown.
 */
function encode(place: number, placeInAccount: number, instance: Instance, next: Instance | undefined): string {
  const own = [place, instance.providerId, instance.nativeId, placeInAccount];
  // The instance after it in the list of all instances, where both fit the cursor's bound: where a page after a gone instance starts (placeOf).
  const withNext = next === undefined ? null : Buffer.from(`p:${JSON.stringify([...own, next.providerId, next.nativeId])}`).toString('base64url');
  return withNext !== null && withNext.length <= MAX_CURSOR_LENGTH ? withNext : Buffer.from(`p:${JSON.stringify(own)}`).toString('base64url');
}

interface DecodedCursor {
  place: number;
  providerId: string;
  key: string;
  /** Its place among its account's instances; null in a cursor made before it was kept. */
  placeInAccount: number | null;
  /** The loader key of the instance after it in the list of all instances; null in a cursor without it. */
  nextKey: string | null;
}

const isPlace = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

function decode(cursor: string, argument: 'after' | 'before'): DecodedCursor {
  const text = cursor.length <= MAX_CURSOR_LENGTH ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  let parsed: unknown = null;
  try {
    parsed = text.startsWith('p:') ? JSON.parse(text.slice(2)) : null;
  } catch {
    parsed = null;
  }
  const refusal = `${argument} must be a cursor from a previous page`;
  if (!Array.isArray(parsed) || (parsed.length !== 3 && parsed.length !== 4 && parsed.length !== 6)) throw badInput(refusal);
  const [place, providerId, nativeId, placeInAccount, nextProviderId, nextNativeId] = parsed as unknown[];
  if (!isPlace(place) || typeof providerId !== 'string' || typeof nativeId !== 'string' || (parsed.length >= 4 && !isPlace(placeInAccount))) {
    throw badInput(refusal);
  }
  if (parsed.length === 6 && (typeof nextProviderId !== 'string' || typeof nextNativeId !== 'string')) throw badInput(refusal);
  const nextKey = typeof nextProviderId === 'string' && typeof nextNativeId === 'string' ? loaderKey(nextProviderId, nextNativeId) : null;
  return { place, providerId, key: loaderKey(providerId, nativeId), placeInAccount: isPlace(placeInAccount) ? placeInAccount : null, nextKey };
}

const accountOfInstance = (instance: Instance): string => instance.providerId;

/** As checkPageArgs (pagination.ts), for this list's cursors: refused before any list is read, in pageOfMatches's order. */
export function checkMatchPageArgs(args: PageArgs, maxPageSize: number): void {
  pageSizeOf(args, maxPageSize);
  if (args.after) decode(args.after, 'after');
  if (args.before) decode(args.before, 'before');
}

/**
 * Where the cursor's instance is in the list of all instances now. Where it is
 * gone (deleted between pages), its old place within its account, the best
 * guess left: its old place in the whole list counted the earlier accounts'
 * instances as they were, and one of them gone (or the whole account failed)
 * started the next page that many instances further on, past instances never
 * shown (a cursor made before the place in its account was kept: that place
 * still); where its
 * whole account is gone (failed between pages), right before the next
 * account's first instance: the old place skipped as many never shown as the
 * account had before it (placeAfterGoneAccount).
 */
function placeOf(all: readonly Instance[], cursor: string, argument: 'after' | 'before', accounts: readonly string[]): { found: boolean; place: number } {
  const { place, providerId, key, placeInAccount, nextKey } = decode(cursor, argument);
  const found = all.findIndex((instance) => loaderKey(instance.providerId, instance.nativeId) === key);
  if (found >= 0) return { found: true, place: found };
  // The instance that followed it, still listed, stands where it stood: its old place in its account
  // counted instances before it that may be gone too, and skipped as many never shown.
  const next = nextKey === null ? -1 : all.findIndex((instance) => loaderKey(instance.providerId, instance.nativeId) === nextKey);
  if (next >= 0) return { found: false, place: next };
  const afterAccount = placeAfterGoneAccount(all, providerId, { accounts, accountOf: accountOfInstance });
  if (afterAccount !== null) return { found: false, place: afterAccount };
  const account = placeInAccount === null ? null : rowsOfAccount(all, providerId);
  if (account && placeInAccount !== null) return { found: false, place: Math.min(account.start + placeInAccount, account.end) };
  return { found: false, place: Math.min(place, all.length) };
}

/** Where an account's instances lie in the list now (they come account by account); null when it has none. */
function rowsOfAccount(all: readonly Instance[], providerId: string): { start: number; end: number } | null {
  const start = all.findIndex((instance) => instance.providerId === providerId);
  if (start < 0) return null;
  let end = start;
  while (end < all.length && (all[end] as Instance).providerId === providerId) end++;
  return { start, end };
}

/** Each instance's place among its own account's instances (they come account by account). */
function placesInAccounts(all: readonly Instance[]): number[] {
  const places = new Array<number>(all.length);
  for (let index = 0; index < all.length; index++) {
    const previous = all[index - 1];
    places[index] = previous !== undefined && previous.providerId === (all[index] as Instance).providerId ? (places[index - 1] as number) + 1 : 0;
  }
  return places;
}

/**
 * One page of the instances that match, between the cursors' instances in
 * the list of all instances: forward (`first` after `after`) or backward
 * (`last` before `before`). `accounts`: the accounts `all` merges, in the
 * order of its instances (none known: a gone instance's old place stands).
 */
export function pageOfMatches(
  all: readonly Instance[],
  matches: (index: number) => boolean,
  args: PageArgs,
  maxPageSize: number,
  providerErrors: ProviderFailure[],
  accounts: readonly string[] = [],
): Connection<Instance> {
  const size = pageSizeOf(args, maxPageSize);
  let start = 0;
  if (args.after) {
    const cursor = placeOf(all, args.after, 'after', accounts);
    start = cursor.found ? cursor.place + 1 : cursor.place;
  }
  const end = args.before ? Math.max(start, placeOf(all, args.before, 'before', accounts).place) : all.length;
  const between: number[] = [];
  let totalCount = 0;
  let matchesBefore = 0;
  let matchesAfter = 0;
  for (let index = 0; index < all.length; index++) {
    if (!matches(index)) continue;
    totalCount++;
    if (index < start) matchesBefore++;
    else if (index >= end) matchesAfter++;
    else between.push(index);
  }
  const bounds = pageWithin(between.length, matchesBefore, matchesAfter, size);
  const shown = between.slice(bounds.from, bounds.to);
  const inAccount = shown.length > 0 ? placesInAccounts(all) : [];
  const edges = shown.map((index) => ({ cursor: encode(index, inAccount[index] as number, all[index] as Instance, all[index + 1]), node: all[index] as Instance }));
  return { edges, pageInfo: new PageInfo(bounds.hasNextPage, bounds.hasPreviousPage, edges), totalCount, providerErrors };
}
