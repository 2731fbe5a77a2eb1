import { badInput } from '../domain/errors.js';
import type { UpstreamRequest } from './client.js';

/**
 * The last guard against an id that would walk out of the provider's API: no
 * path segment may be, or decode to, "." or "..", nor hide a "/" or "?".
 * Adapters encode segments; this catches what encoding lets through (dots).
 */
export function assertInsideApi(path: string): void {
  // Walked in place, not split: every upstream call passes here, and the split's arrays and segment
  // strings were garbage of every call. A segment with no "%" decodes to itself, so only those with
  // one are cut out and decoded.
  const query = path.indexOf('?');
  const end = query < 0 ? path.length : query;
  let percent = path.indexOf('%');
  for (let start = 0; ; ) {
    const slash = path.indexOf('/', start);
    const stop = slash < 0 || slash > end ? end : slash;
    if (percent >= 0 && percent < start) percent = path.indexOf('%', start);
    assertSegmentInsideApi(path, start, stop, percent >= 0 && percent < stop);
    if (stop >= end) return;
    start = stop + 1;
  }
}

/** One segment of `path`, from `start` to `stop`: see `assertInsideApi`. */
function assertSegmentInsideApi(path: string, start: number, stop: number, escaped: boolean): void {
  if (!escaped) {
    const length = stop - start;
    if ((length === 1 || length === 2) && path.charCodeAt(start) === DOT && path.charCodeAt(stop - 1) === DOT) throw notAllowed();
    return;
  }
  const segment = path.slice(start, stop);
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw badInput('an id contains an invalid character sequence');
  }
  if (decoded === '.' || decoded === '..' || (decoded !== segment && /[/?#\\]/.test(decoded))) throw notAllowed();
}

const DOT = 0x2e;
const notAllowed = () => badInput('an id contains a path segment that is not allowed');

export function compactQuery(query: UpstreamRequest['query']): Record<string, string> | undefined {
  if (!query) return undefined;
  const out: Record<string, string> = {};
  // Own keys without Object.entries' [key, value] array per key (every upstream call with a query).
  for (const key of Object.keys(query)) {
    const value = query[key];
    if (value !== undefined) out[key] = String(value);
  }
  return out;
}
