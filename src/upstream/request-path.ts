import { badInput } from '../domain/errors.js';
import type { UpstreamRequest } from './client.js';

/**
 * The last guard against an id that would walk out of the provider's API: no
 * path segment may be, or decode to, "." or "..", nor hide a "/" or "?", and
 * no raw backslash may stand before the query.
 * Adapters encode segments; this catches what encoding lets through (dots).
 */
export function assertInsideApi(path: string): void {
  const query = path.indexOf('?');
  const end = query < 0 ? path.length : query;
  // Encoding makes every backslash of an id "%5C"; a raw one is a segment some servers (IIS, Windows-hosted
  // frameworks) read as "/", so "..\..\x" would walk out there while every segment here looks harmless.
  const backslash = path.indexOf('\\');
  if (backslash >= 0 && backslash < end) throw notAllowed();
  const percent = path.indexOf('%');
  if (percent >= 0 && percent < end) assertDecodedSegmentsInsideApi(path.slice(0, end));
  else assertNoDotSegment(path, end);
}

/**
 * A path with no "%" before its query, nearly every one: no segment to decode, only "." and ".." to find. Walked
 * in place, not split: every upstream call passes here, and the split's arrays and strings were garbage of every call.
 */
function assertNoDotSegment(path: string, end: number): void {
  for (let start = 0; ; ) {
    const slash = path.indexOf('/', start);
    const stop = slash < 0 || slash > end ? end : slash;
    const length = stop - start;
    if ((length === 1 || length === 2) && path.charCodeAt(start) === DOT && path.charCodeAt(stop - 1) === DOT) throw notAllowed();
    if (stop >= end) return;
    start = stop + 1;
  }
}

/** A path with an escaped id (rare): every segment decoded, as one with no "%" decodes to itself. */
function assertDecodedSegmentsInsideApi(pathOnly: string): void {
  for (const segment of pathOnly.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw badInput('an id contains an invalid character sequence');
    }
    if (decoded === '.' || decoded === '..' || (decoded !== segment && /[/?#\\]/.test(decoded))) throw notAllowed();
  }
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
