import { badInput } from '../domain/errors.js';
import type { Connection, ProviderFailure } from '../domain/connection.js';

const encodeCursor = (offset: number): string => Buffer.from(`o:${offset}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const text = cursor.length <= 64 ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const match = /^o:(\d{1,9})$/.exec(text);
  if (!match) throw badInput('after must be a cursor from a previous page');
  return Number(match[1]);
}

/** Offset pagination over a list the gateway already holds in full (providers list everything anyway). */
export function paginate<T>(items: readonly T[], first: number | null | undefined, after: string | null | undefined, maxPageSize: number, providerErrors: ProviderFailure[]): Connection<T> {
  const size = first ?? 50;
  if (!Number.isInteger(size) || size < 1 || size > maxPageSize) throw badInput(`first must be between 1 and ${maxPageSize}`);
  const start = after ? decodeCursor(after) + 1 : 0;
  const page = items.slice(start, start + size);
  const edges = page.map((node, index) => ({ cursor: encodeCursor(start + index), node }));
  return {
    edges,
    pageInfo: { hasNextPage: start + size < items.length, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: items.length,
    providerErrors,
  };
}
