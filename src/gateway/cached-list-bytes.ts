/**
 * What one cached list holds in the heap, estimated when it is set: the read cache's byte bound
 * (`limits.readCacheMaxBytes`) counts this. A warm read pays nothing (the size is taken once, when
 * the list is set), and a store that is not bounded by bytes (Redis) is not handed one.
 *
 * Measured (`node --expose-gc --import tsx bench/cache-entry-bytes.ts`: each list the cache is
 * handed by the four simulators, copied until some 100,000 records are held, heap after a full
 * GC): bytes per record by list kind, the largest provider's rounded up, so an account of smaller
 * records is over-counted (Zomro's, OnApp's and Danube's backups hold 1.1-1.25 KB) rather than a
 * larger one under-counted. A record counts the larger of that and its own text (see textBytes):
 * counted by its list's length alone, an OnApp whose backups carried a 512 KiB note each held 4 MiB
 * of lists under a 1 MiB bound, read as 20 KB, and a hostile provider could fill the 100,000
 * entries with answers of up to 32 MiB.
 */
const RECORD_BYTES: Readonly<Record<string, number>> = {
  /** ZStack 2,213 (its raw record carries the backup's storage refs); Zomro 1,247; OnApp 1,114; Danube 1,120. */
  backups: 2_300,
  /** Danube 1,404 (a definition carries its schedule). */
  definitions: 1_450,
  /** ZStack 940; Zomro 580; Danube 534; OnApp 463. */
  instances: 950,
  /** OnApp 894; Zomro 843; Danube 692. */
  schedules: 900,
};

/** The most any kind's record was measured to hold: a kind not in the table counts this. */
const LARGEST_RECORD_BYTES = Math.max(...Object.values(RECORD_BYTES));

/** An entry with no records: its key, the store's wrapper and lru-cache's slot (measured 224 bytes). */
export const CACHED_ENTRY_BYTES = 256;

/** The estimated heap bytes of a cached list of `kind` (`value` is what the store is handed). */
export function cachedListBytes(kind: string, value: unknown): number {
  const perRecord = RECORD_BYTES[kind] ?? LARGEST_RECORD_BYTES;
  if (!Array.isArray(value)) return CACHED_ENTRY_BYTES + recordBytes(value, perRecord);
  let bytes = CACHED_ENTRY_BYTES;
  for (const record of value as unknown[]) bytes += recordBytes(record, perRecord);
  return bytes;
}

/**
 * The larger of `measured` and what `record`'s text holds. Counted first at two bytes a character,
 * without looking at the text: a record within its measured cost even so (each of the simulators'
 * records, at 0.92 of it at most) is not searched for characters past Latin-1, a search that adds
 * a third to the walk.
 */
function recordBytes(record: unknown, measured: number): number {
  if (textBytes(record, 'two bytes each') <= measured) return measured;
  return Math.max(measured, textBytes(record, 'as held'));
}

/** How textBytes counts a string's characters: as V8 holds the string, or at most that. */
type CharacterWidths = 'as held' | 'two bytes each';

/** What a field counts beside its text: a pointer, or a number held in place. */
const SLOT_BYTES = 8;

/**
 * A character past Latin-1: V8 then holds the whole string at two bytes a character. Against a
 * string held at one byte a character V8's regexp fails at once (no character of the class can be
 * in it), so the simulators' Latin-1 records cost no scan; a two-byte one is scanned up to its
 * first such character.
 */
const PAST_LATIN1 = /[^\x00-\xff]/;

/**
 * Roughly what `value` holds: a character a byte (a string held twice, as a backup's
 * `note` and its `raw.note`, counts twice; a string with any character outside Latin-1 holds two
 * bytes a character, counted so by `as held`) and a slot per field and item; keys not at all (V8 shares them between records). The simulators'
 * records count below their measured cost, so only longer ones change their list's count; the walk
 * costs ~1 us a record when a list is set (~2 ms of a cold 1,600-backup dashboard). Without
 * recursion: `raw` nests up to MAX_RAW_DEPTH.
 */
function textBytes(value: unknown, widths: CharacterWidths): number {
  let bytes = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    bytes += SLOT_BYTES;
    if (typeof item === 'string') bytes += widths === 'two bytes each' || PAST_LATIN1.test(item) ? 2 * item.length : item.length;
    else if (item === null || typeof item !== 'object' || item instanceof Date) continue;
    else if (Array.isArray(item)) for (let index = 0; index < item.length; index++) pending.push(item[index]);
    // for-in rather than Object.values: no array per record (parsed JSON has no inherited keys).
    else for (const key in item) pending.push((item as Record<string, unknown>)[key]);
  }
  return bytes;
}
