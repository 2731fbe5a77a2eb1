import { isPlainWord } from './usable-id.js';

/** A host, a port and a path, with nothing else: no `user:password@`, `?query` or `#fragment`. */
const HOST_PORT_PATH = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?(\/[A-Za-z0-9._~/-]*)?$/;

/**
 * An account url written without its scheme (`api.zomro.example`, `panel:8080/api`), as
 * `https://` and it, or undefined. The refusal showed only an example, https://api.example.com/,
 * which the newcomer had to fit to their host. Only a url of plain parts is quoted: anything
 * else written there may hold a credential.
 */
export function urlWithScheme(written: unknown): string | undefined {
  if (typeof written !== 'string') return undefined;
  const match = HOST_PORT_PATH.exec(written.trim());
  if (!match) return undefined;
  const parts = [match[1]!, ...(match[3] ?? '').split('/').filter((part) => part !== '')];
  return parts.every(isPlainWord) ? `https://${written.trim()}` : undefined;
}
