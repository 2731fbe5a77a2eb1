import { GatewayError } from '../domain/errors.js';

type Row = Record<string, unknown>;

/**
 * Rows one paged list may collect. A node that pages on with fresh rows for
 * ever (or ignores where a page should start) filled gigabytes before the
 * request's upstream budget ran out: 10,000 pages of 500 ZStack VMs held
 * 2.7 GB. Far above any account seen (the largest tested lists 150,000).
 */
export const MAX_LIST_ROWS = 500_000;

/**
 * Whether `page` starts where `previous` did: a provider that ignores the
 * page asked for (`p_num`, `start`) sends its first page again, for every
 * page asked, and the list would never end.
 */
export function repeatsPage(page: readonly Row[], previous: readonly Row[], idField: string): boolean {
  const [first] = page;
  const [previousFirst] = previous;
  return first !== undefined && previousFirst !== undefined && first[idField] === previousFirst[idField];
}

/** Refuses a list past MAX_LIST_ROWS as the provider's fault, before it holds more. */
export function checkListSize(rows: number, provider: string): void {
  if (rows > MAX_LIST_ROWS) {
    throw new GatewayError('PROVIDER_ERROR', `provider ${provider} listed more than ${MAX_LIST_ROWS} rows in one list; the gateway reads no more`, { provider, providerCode: 'TOO_MANY_ROWS' });
  }
}
