import { badInput } from '../domain/errors.js';
import type { UpstreamRequest } from './client.js';

/**
 * The last guard against an id that would walk out of the provider's API: no
 * path segment may be, or decode to, "." or "..", nor hide a "/" or "?".
 * Adapters encode segments; this catches what encoding lets through (dots).
 */
export function assertInsideApi(path: string): void {
  const pathOnly = path.split('?')[0] ?? '';
  for (const segment of pathOnly.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw badInput('an id contains an invalid character sequence');
    }
    if (decoded === '.' || decoded === '..' || (decoded !== segment && /[/?#\\]/.test(decoded))) throw badInput('an id contains a path segment that is not allowed');
  }
}

export function compactQuery(query: UpstreamRequest['query']): Record<string, string> | undefined {
  if (!query) return undefined;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(query)) if (value !== undefined) out[key] = String(value);
  return out;
}
