/** Unit conversions shared by the mappers; sizes are normalised to bytes. (Dates: provider-dates.ts.) */

export const KIB = 1024;
export const MIB = 1024 ** 2;
/** OpenStack-style GB (Zomro image_size/min_disk, OnApp min_disk_size): 2^30 bytes. */
export const GIB = 1024 ** 3;

/** A number from a provider field that may be a string, empty, or missing. */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const parsed = Number(value.trim());
  return Number.isFinite(parsed) ? parsed : null;
}

/** `value` in `unit` bytes, rounded to a whole byte; null when missing or negative. */
export function toBytes(value: unknown, unit: number): number | null {
  const parsed = toNumber(value);
  if (parsed === null || parsed < 0) return null;
  const bytes = Math.round(parsed * unit);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

export const toStringOrNull = (value: unknown): string | null =>
  typeof value === 'string' ? (value === '' ? null : value) : typeof value === 'number' ? String(value) : null;
