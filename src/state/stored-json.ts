/**
 * JSON for what the gateway keeps in Redis (cached reads, idempotency
 * records, operations): Dates come back as Dates and every string comes back
 * exactly as it was stored.
 *
 * Dates are tagged, not guessed: reviving every string that looked like an
 * ISO date turned a provider's backup named "2030-01-01T00:00:00Z", or a
 * note holding a date, into a Date, so it came back changed from the cache
 * (and a definition whose native id is its name could no longer be found).
 * A Date is stored as TAG + "D" + its ISO text; a string that itself starts
 * with TAG is stored with one more TAG in front; nothing else changes.
 */
const TAG = '\u0001';
const DATE_MARK = 'D';
/** Starts every text written this way; JSON itself never starts with it. */
const FORMAT = `${TAG}2`;

/** Entries written before the tagged format (they expire with their TTL): the old guess, kept only to read them. */
const LEGACY_ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;

export function encodeStored(value: unknown): string {
  return FORMAT + JSON.stringify(value, tagDates);
}

export function decodeStored<T>(text: string): T {
  if (text.startsWith(FORMAT)) return JSON.parse(text.slice(FORMAT.length), untag) as T;
  return JSON.parse(text, reviveLegacy) as T;
}

// JSON.stringify has already called Date#toJSON on `item`; `this[key]` is still the Date.
function tagDates(this: unknown, key: string, item: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  // `item` is the Date's toJSON(): its ISO text, or null for an invalid Date (read back as one).
  if (original instanceof Date) return `${TAG}${DATE_MARK}${typeof item === 'string' ? item : ''}`;
  if (typeof item === 'string' && item.startsWith(TAG)) return TAG + item;
  return item;
}

function untag(_key: string, value: unknown): unknown {
  if (typeof value !== 'string' || !value.startsWith(TAG)) return value;
  if (value[1] === DATE_MARK) return new Date(value.slice(2));
  return value.slice(1);
}

function reviveLegacy(_key: string, value: unknown): unknown {
  return typeof value === 'string' && LEGACY_ISO_DATE.test(value) ? new Date(value) : value;
}
