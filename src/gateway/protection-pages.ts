import { badInput } from '../domain/errors.js';
import type { Connection, ProviderFailure } from '../domain/connection.js';
import type { Instance } from '../domain/types.js';
import { loaderKey } from './loaders.js';
import { PageInfo } from './page-info.js';

/** Room for an account id and a provider's native id; far above any real pair. */
const MAX_CURSOR_LENGTH = 1_024;

/**
 * A cursor of the protection-filtered list: the instance itself (its account
 * and native id) and its place in the account-ordered list of every instance,
 * not its place among the matches. An instance's status moves between pages
 * (an operator backs up the first page, a backup ages past the objective), so
 * an offset among the matches skipped as many instances as left the filter
 * before the cursor: the very workflow "list the unprotected, back these up,
 * next page" lost instances that were never shown.
 */
const encode = (place: number, instance: Instance): string =>
  Buffer.from(`p:${JSON.stringify([place, instance.providerId, instance.nativeId])}`).toString('base64url');

function decode(cursor: string): { place: number; key: string } {
  const text = cursor.length <= MAX_CURSOR_LENGTH ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  let parsed: unknown = null;
  try {
    parsed = text.startsWith('p:') ? JSON.parse(text.slice(2)) : null;
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw badInput('after must be a cursor from a previous page');
  const [place, providerId, nativeId] = parsed as unknown[];
  if (!Number.isInteger(place) || (place as number) < 0 || typeof providerId !== 'string' || typeof nativeId !== 'string') {
    throw badInput('after must be a cursor from a previous page');
  }
  return { place: place as number, key: loaderKey(providerId, nativeId) };
}

/**
 * One page of the instances that match, after the cursor's instance in the
 * list of all instances. Where that instance is gone (deleted between pages),
 * its old place is the best guess left.
 */
export function pageOfMatches(
  all: readonly Instance[],
  matches: (index: number) => boolean,
  first: number | null | undefined,
  after: string | null | undefined,
  maxPageSize: number,
  providerErrors: ProviderFailure[],
): Connection<Instance> {
  const size = first ?? 50;
  if (!Number.isInteger(size) || size < 1 || size > maxPageSize) throw badInput(`first must be between 1 and ${maxPageSize}`);
  let start = 0;
  if (after) {
    const { place, key } = decode(after);
    const found = all.findIndex((instance) => loaderKey(instance.providerId, instance.nativeId) === key);
    start = found >= 0 ? found + 1 : Math.min(place, all.length);
  }
  const edges: Connection<Instance>['edges'] = [];
  let totalCount = 0;
  let hasNextPage = false;
  let hasPreviousPage = false;
  for (let index = 0; index < all.length; index++) {
    if (!matches(index)) continue;
    totalCount++;
    if (index < start) {
      hasPreviousPage = true;
      continue;
    }
    if (edges.length < size) edges.push({ cursor: encode(index, all[index] as Instance), node: all[index] as Instance });
    else hasNextPage = true;
  }
  return { edges, pageInfo: new PageInfo(hasNextPage, hasPreviousPage, edges), totalCount, providerErrors };
}
