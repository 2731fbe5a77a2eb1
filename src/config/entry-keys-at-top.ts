import { providerCommonShape } from '../providers/config-base.js';

/** Keys of one client entry and of one provider entry, as the schemas name them. */
const ENTRY_KEYS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['client', ['name', 'key', 'roles']],
  ['provider', [...Object.keys(providerCommonShape), 'kind', 'auth']],
];

/**
 * The hint for an unknown top-level key that is a key of a list entry: `roles: [admin]` written
 * at the left margin under a client read "unknown key; allowed here: listen, admin, ..." beside
 * "clients[0].roles: required", and neither said the line had only to be indented. Undefined
 * for any other key (`name` and `id` are each entry's, and `providers` is a top-level key too).
 */
export function entryKeyAtTop(key: string): string | undefined {
  const entry = ENTRY_KEYS.find(([, keys]) => keys.includes(key))?.[0];
  if (entry === undefined) return undefined;
  return `unknown key at the top level; ${key} is a key of each ${entry} entry: indent it as the entry's other keys (under its "- ")`;
}
