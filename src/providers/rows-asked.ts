import type { Instance } from '../domain/types.js';
import type { BatchResult } from './adapter.js';
import { idTextOrNull } from './native-id.js';

/**
 * Instances looked up by id from a listing of the whole account (a provider with no read by a
 * set of ids): only the rows of VMs asked are mapped, as ZStack's lookup reads them
 * (zstack/adapter.ts getInstances). A row of a VM not asked is nobody's answer. Mapped with the
 * rest, one whose id the gateway cannot read back was left out and told of as a row missing from
 * the account's instance list, an error beside a lookup that answered every VM asked (many
 * clients take any error as the query's failure); any other failure of it failed the whole batch.
 * A row of a VM asked is read whole, as before: any failure of it fails the lookup.
 *
 * `idOf`: the row's id field, as the mapper reads it (`idText`).
 */
export function instancesAsked<Row>(
  nativeIds: readonly string[],
  rows: readonly Row[],
  idOf: (row: Row) => unknown,
  map: (row: Row) => Instance,
  provider: string,
): BatchResult<Instance | null> {
  const asked = new Set(nativeIds);
  const found = new Map<string, Instance>();
  for (const row of rows) {
    const id = askedId(idOf(row), asked, provider);
    // Of a record the answer repeats, the first, as lists keep it (loaders.ts).
    if (id !== null && !found.has(id)) found.set(id, map(row));
  }
  return nativeIds.map((id) => found.get(id) ?? null);
}

/** The row's id where it is one asked and the gateway can read it back; null for any other, never a throw. */
function askedId(value: unknown, asked: ReadonlySet<string>, provider: string): string | null {
  const text = typeof value === 'string' ? value : Number.isSafeInteger(value) ? String(value) : null;
  if (text === null || !asked.has(text)) return null;
  // An id asked that the gateway could not have made (a forged one of 1,000 bytes) names no VM it answers.
  try {
    return idTextOrNull(value, provider);
  } catch {
    return null;
  }
}
