import { appendAll } from '../../domain/arrays.js';
import { GatewayError } from '../../domain/errors.js';
import type { UpstreamScope } from '../../upstream/scope.js';
import { checkListSize, repeatsPage } from '../paging.js';
import { elems, scalar, type ZomroDoc } from './wire.js';

type Row = Record<string, unknown>;

/** Rows asked for per page (`p_cnt`). */
export const PAGE_SIZE = 100;

/** `p_elems`, how many rows the list holds: null when absent; a count that is no count makes the answer invalid. */
function elementCount(value: unknown, providerId: string): number | null {
  const text = scalar(value);
  if (text === null || text === '') return null;
  const count = Number(text);
  if (Number.isSafeInteger(count) && count >= 0) return count;
  throw new GatewayError('PROVIDER_ERROR', `provider ${providerId} sent a list count that is no count`, { provider: providerId, providerCode: 'INVALID_RESPONSE' });
}

/**
 * Every page of one BILLmanager list func ("Pagination uses p_cnt/p_num/p_col
 * and p_elems", the same for every list). The first answer's count
 * (`p_elems`) says how many pages to read at once; a panel that caps `p_cnt`
 * lower answers fewer rows than asked, and the rest are read in pages of its
 * size. Without a count, pages are read one after another while they come
 * back full (PAGE_SIZE rows) and new: a panel that sends no count may not
 * page at all, and answers every page with its first. Either way the pages
 * spend from the request's upstream budget, and a count past it is refused
 * before any page is asked for. A list shorter than a page costs one call.
 */
export async function readPages(page: (number: number, size: number) => Promise<ZomroDoc>, providerId: string, scope: UpstreamScope): Promise<Row[]> {
  const first = await page(1, PAGE_SIZE);
  const rows = elems(first);
  const total = elementCount(first.p_elems, providerId);
  if (total === null) {
    for (let number = 2, last = rows; last.length === PAGE_SIZE; number++) {
      const next = elems(await page(number, PAGE_SIZE));
      if (repeatsPage(next, last, 'id')) break;
      appendAll(rows, next);
      checkListSize(rows.length, providerId);
      last = next;
    }
  } else if (total > rows.length) {
    checkListSize(total, providerId);
    const size = rows.length > 0 && rows.length < PAGE_SIZE ? rows.length : PAGE_SIZE;
    const more = Math.ceil(total / size) - 1;
    scope.budget?.reserve(more);
    for (const next of await Promise.all(Array.from({ length: more }, (_, index) => page(index + 2, size)))) appendAll(rows, elems(next));
  }
  return rows;
}
