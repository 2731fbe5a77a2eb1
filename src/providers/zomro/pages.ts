import { GatewayError } from '../../domain/errors.js';
import type { UpstreamScope } from '../../upstream/scope.js';
import { checkListSize, repeatsPage } from '../paging.js';
import { elemsInTurns, scalar, type ZomroDoc } from './wire.js';

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
 * How many rows make a full page of a list without a count: PAGE_SIZE, or fewer where the panel
 * answered a smaller `p_cnt` beside its page (BILLmanager sends back the page size it used, as it
 * sends `p_num`). A panel capping pages at 50 with no `p_elems` answered a first page of 50 rows,
 * read as the whole list: every row past it was silently left out.
 */
function fullPageSize(doc: ZomroDoc): number {
  const answered = Number(scalar(doc.p_cnt));
  return Number.isSafeInteger(answered) && answered > 0 && answered < PAGE_SIZE ? answered : PAGE_SIZE;
}

/**
 * The rows of a list as its pages come: a row whose id an earlier page had is
 * left out. Pages read at once overlap when the list changes meanwhile (a
 * backup made between two pages pushes a row onto the next), and a panel that
 * counts its list but answers every page with its first gave each row as
 * many times as there were pages. The size limit holds on what is kept.
 */
class Rows {
  readonly rows: Row[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly providerId: string) {}

  /** Adds the page's new rows; how many were new. */
  add(page: readonly Row[]): number {
    let added = 0;
    for (const row of page) {
      const id = scalar(row.id);
      if (id !== null) {
        if (this.seen.has(id)) continue;
        this.seen.add(id);
      }
      this.rows.push(row);
      added += 1;
    }
    checkListSize(this.rows.length, this.providerId);
    return added;
  }
}

/**
 * Every page of one BILLmanager list func ("Pagination uses p_cnt/p_num/p_col
 * and p_elems", the same for every list). The first answer's count
 * (`p_elems`) says how many pages to read at once; a panel that caps `p_cnt`
 * lower answers fewer rows than asked, and the rest are read in pages of its
 * size. Without a count, pages are read one after another while they come
 * back full (PAGE_SIZE rows) and new: a panel that sends no count may not
 * page at all, and answers every page with its first (or cycles through a
 * few: a page with no row not seen before ends the list); a page is full at the
 * `p_cnt` the panel answered where it is below PAGE_SIZE (fullPageSize). Either way the
 * pages spend from the request's upstream budget, and a count past it is
 * refused before any page is asked for. A list shorter than a page costs
 * one call. A row is listed once, however many pages repeat it, and a list
 * past MAX_LIST_ROWS is refused as soon as its pages hold more, whatever the
 * count said.
 *
 * `p_col` is not sent. It is the list's sort column ("p_cnt, p_num, p_col (page size, page number,
 * sort column)", providers.md), not a choice of fields: it makes no page smaller nor any list
 * cheaper. A sort by a column that only grows (`id`) would keep rows from shifting between pages
 * while the list changes, but no document gives its values or syntax (a name, `+id`/`-id`), and a
 * panel refusing a column it does not know would fail every list that now reads; the shifts it would
 * prevent are already met (a row repeated kept once, one skipped read at the next list).
 */
export async function readPages(page: (number: number, size: number) => Promise<ZomroDoc>, providerId: string, scope: UpstreamScope): Promise<Row[]> {
  const first = await page(1, PAGE_SIZE);
  const firstRows = await elemsInTurns(first);
  const list = new Rows(providerId);
  list.add(firstRows);
  const total = elementCount(first.p_elems, providerId);
  if (total === null) {
    const full = fullPageSize(first);
    for (let number = 2, last = firstRows; last.length >= full; number++) {
      const next = await elemsInTurns(await page(number, PAGE_SIZE));
      if (repeatsPage(next, last, 'id') || list.add(next) === 0) break;
      last = next;
    }
  } else if (total > firstRows.length) {
    checkListSize(total, providerId);
    const size = firstRows.length > 0 && firstRows.length < PAGE_SIZE ? firstRows.length : PAGE_SIZE;
    const more = Math.ceil(total / size) - 1;
    scope.budget?.reserve(more);
    // Counted as each page comes, not once all have: a panel answering pages far longer than asked
    // (32 MB each) filled memory with thousands of them before the list's size was looked at.
    let held = firstRows.length;
    const pages = await Promise.all(
      Array.from({ length: more }, (_, index) =>
        page(index + 2, size).then(async (doc) => {
          const rows = await elemsInTurns(doc);
          held += rows.length;
          checkListSize(held, providerId);
          return rows;
        }),
      ),
    );
    for (const rows of pages) list.add(rows);
  }
  return list.rows;
}
