import type { RawRecord } from '../domain/types.js';

/**
 * Field names no provider record shows a client, whatever the provider:
 * credentials named by a word other names may hold by chance (see
 * CREDENTIAL_WORDS for the rest: `password`, `token`, `api_key`...).
 */
const CREDENTIAL_FIELDS = ['auth', 'authinfo', 'authorization', 'session', 'sessionid', 'session_id'];

/**
 * Words that make any field name holding them a credential, wherever they
 * stand and however the name separates its words (`_`, `-`, `.`, none):
 * OnApp's VM record carries `initial_root_password`, `remote_access_password`
 * (VNC) and `service_password`, which exact names let through to every
 * viewer. Words that other names hold by chance (`auth` in `author`,
 * `session` in `session_timeout`) stay exact names above.
 */
const CREDENTIAL_WORDS = ['password', 'passwd', 'passphrase', 'secret', 'token', 'apikey', 'privatekey', 'accesskey', 'licensekey', 'credential'];
/**
 * Short words that are a credential only as a word of their own (`root_pw`,
 * SmartOS's `admin_pw`, OpenStack's `adminPass`, `vnc_pass`), never inside
 * another (`passive`, `bypass`, `pwr`).
 */
const CREDENTIAL_SHORT_WORDS = new Set(['pass', 'pw', 'pwd']);

/** A field name's words: split at separators and lower-to-upper case changes, lower-cased. */
const wordsOf = (name: string): string[] => name.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).map((word) => word.toLowerCase());

function namesCredential(key: string): boolean {
  const joined = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return CREDENTIAL_WORDS.some((word) => joined.includes(word)) || wordsOf(key).some((word) => CREDENTIAL_SHORT_WORDS.has(word));
}

/**
 * Verdicts remembered per set: a provider's records use a few dozen field
 * names, and lower-casing each key of each record allocated a string per key
 * (1.4 KB and 9 us per 18-field record, a tenth of a dashboard's garbage).
 * Bounded, since a provider may send any names at all.
 */
const MAX_REMEMBERED_KEYS = 4096;
/** Field names are short; a longer key is judged each time rather than kept. */
const MAX_REMEMBERED_KEY_LENGTH = 64;

/** A provider's hidden fields plus the credential fields every provider hides, matched case-insensitively. */
export class HiddenFields {
  private readonly names: ReadonlySet<string>;
  private readonly verdicts = new Map<string, boolean>();

  constructor(providerFields: readonly string[]) {
    this.names = new Set([...CREDENTIAL_FIELDS, ...providerFields].map((field) => field.toLowerCase()));
  }

  has(key: string): boolean {
    const known = this.verdicts.get(key);
    if (known !== undefined) return known;
    const hidden = this.names.has(key.toLowerCase()) || namesCredential(key);
    if (this.verdicts.size < MAX_REMEMBERED_KEYS && key.length <= MAX_REMEMBERED_KEY_LENGTH) this.verdicts.set(key, hidden);
    return hidden;
  }

  /** How many verdicts are kept (bounded in count and key length, whatever a provider sends). */
  get remembered(): number {
    return this.verdicts.size;
  }
}

export const hiddenFields = (providerFields: readonly string[]): HiddenFields => new HiddenFields(providerFields);

/**
 * Deeper than any provider's records go (ZStack's, the deepest, nest four
 * levels). A value below it is cut: every walk after this one recurses too
 * (this one, JSON.stringify of the answer, the Redis cache), and a record
 * nested 5,000 deep overflowed the stack here.
 */
export const MAX_RAW_DEPTH = 32;
/** What stands in for a value nested deeper than MAX_RAW_DEPTH. */
export const NESTED_TOO_DEEP = '[nested too deep]';

/**
 * `record` without hidden fields, at any depth (ZStack nests storage refs in
 * each volume). Copies only what changes: a record with nothing to hide is
 * returned as it is, so mapping a long list costs a walk and no allocation.
 */
export function publicRaw(record: RawRecord, hidden: HiddenFields): RawRecord {
  return strip(record, hidden, 0) as RawRecord;
}

/** What a record's `raw` is built from, at its first read (withPublicRaw). */
class RawSource {
  shown: RawRecord | undefined = undefined;
  constructor(
    readonly row: RawRecord,
    readonly hidden: HiddenFields,
  ) {}
}

/**
 * A symbol, not enumerable: JSON.stringify (the Redis cache, idempotency
 * records, bus events), structuredClone, V8's serializer, Object.keys, spreads
 * and deep equality all pass it by, so the provider row it holds is never
 * written anywhere; they read `raw` through the getter, the stripped copy.
 */
const RAW_SOURCE = Symbol('raw source');

interface WithRawSource {
  readonly [RAW_SOURCE]: RawSource;
}

function shownRaw(this: WithRawSource): RawRecord {
  const source = this[RAW_SOURCE];
  return (source.shown ??= publicRaw(source.row, source.hidden));
}

/**
 * One getter for every record: a getter written in each record literal is a
 * new function per record, and V8 keeps such records as dictionaries (8x
 * slower to build and read than the literal alone).
 */
const SHOWN_RAW: PropertyDescriptor = { get: shownRaw, enumerable: true, configurable: true };

/**
 * `record` with `raw` as publicRaw(row, hidden), built at its first read and
 * kept: most queries (the dashboard) never select `raw`, and copying every
 * row that had a field to hide (each OnApp row: `iqn`) was a twentieth of an
 * uncached dashboard's allocation. `row` must not change after this (the
 * mappers never mutate what they read; shared answers are frozen in tests).
 * Every reader of `raw`, serialisers included, gets the stripped copy.
 */
export function withPublicRaw<T extends object>(record: T, row: RawRecord, hidden: HiddenFields): T & { readonly raw: RawRecord } {
  Object.defineProperty(record, RAW_SOURCE, { value: new RawSource(row, hidden), writable: false, enumerable: false, configurable: false });
  return Object.defineProperty(record, 'raw', SHOWN_RAW) as T & WithRawSource & { readonly raw: RawRecord };
}

function strip(value: unknown, hidden: HiddenFields, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_RAW_DEPTH) return NESTED_TOO_DEEP;
  if (Array.isArray(value)) {
    let out: unknown[] | null = null;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const next = strip(item, hidden, depth + 1);
      if (next !== item) (out ??= value.slice())[index] = next;
    }
    return out ?? value;
  }
  const record = value as Record<string, unknown>;
  let out: Record<string, unknown> | null = null;
  // for-in rather than Object.entries: parsed JSON has no inherited keys, and no array per record.
  for (const key in record) {
    const item = record[key];
    const hide = hidden.has(key);
    const next = hide ? undefined : strip(item, hidden, depth + 1);
    if (out === null) {
      if (!hide && next === item) continue;
      out = copyBefore(record, key);
    }
    if (!hide) setOwn(out, key, next);
  }
  return out ?? record;
}

/**
 * The fields before `stop`, which needed no change. Built key by key:
 * spreading the record and deleting the hidden key turned every copy into a
 * dictionary-mode object, three times the size and slow to read.
 */
function copyBefore(record: Record<string, unknown>, stop: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in record) {
    if (key === stop) break;
    setOwn(out, key, record[key]);
  }
  return out;
}

/** `record[key] = value` as an own field even for "__proto__", which parsed JSON may hold and an assignment would take as the prototype. */
export function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}
