import type { RawRecord } from '../domain/types.js';

/** Field names no provider record shows a client, whatever the provider: credentials. */
const CREDENTIAL_FIELDS = ['password', 'passwd', 'token', 'auth', 'authinfo', 'authorization', 'api_key', 'apikey', 'secret', 'session', 'sessionid', 'session_id', 'access_token', 'private_key'];

/** A provider's hidden fields (lower-case) plus the credential fields every provider hides. */
export const hiddenFields = (providerFields: readonly string[]): ReadonlySet<string> => new Set([...CREDENTIAL_FIELDS, ...providerFields].map((field) => field.toLowerCase()));

/**
 * `record` without hidden fields, at any depth (ZStack nests storage refs in
 * each volume). Copies only what changes: a record with nothing to hide is
 * returned as it is, so mapping a long list costs a walk and no allocation.
 */
export function publicRaw(record: RawRecord, hidden: ReadonlySet<string>): RawRecord {
  return strip(record, hidden) as RawRecord;
}

function strip(value: unknown, hidden: ReadonlySet<string>): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    value.forEach((item, index) => {
      const next = strip(item, hidden);
      if (next !== item) (out ??= value.slice())[index] = next;
    });
    return out ?? value;
  }
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  let out: Record<string, unknown> | null = null;
  // for-in rather than Object.entries: parsed JSON has no inherited keys, and no array per record.
  for (const key in record) {
    const item = record[key];
    if (hidden.has(key.toLowerCase())) {
      out ??= { ...record };
      delete out[key];
      continue;
    }
    const next = strip(item, hidden);
    if (next !== item) (out ??= { ...record })[key] = next;
  }
  return out ?? record;
}
