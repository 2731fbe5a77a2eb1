import { decodeId } from '../domain/ids.js';

/**
 * `value` with each string in it (in objects and arrays, however deep) put through `scrub`: an
 * audit line's subjects name the native ids decoded from the client's ids (a made-up global id
 * holds any text), so a provider credential written into one was logged as sent. The audit line
 * goes through the scrubber of provider answers, as the client's text in every other line does
 * (docs/security.md).
 */
export function scrubbedStrings<T>(value: T, scrub: (text: string) => string): T {
  if (typeof value === 'string') return scrub(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => scrubbedStrings(item, scrub)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = scrubbedStrings(item, scrub);
    return out as T;
  }
  return value;
}

/**
 * An audit line's targets (the ids the client wrote, as auditTargets names them) scrubbed. A global
 * id is base64 of its parts, and the scrub looks for pieces of each secret's base64 too: read as
 * it stands, a real id whose account name a password also holds (`zstack` in both) read
 * `WyJJIiwi[redacted]Rlc3Qi...`. So an id is judged by its parts, as decoded: where the scrub
 * changes any, the id is `[redacted]` whole; else it stands as written. Other text is scrubbed.
 */
export function scrubbedTargets(targets: Record<string, unknown>, scrub: (text: string) => string): Record<string, unknown> {
  const scrubbed = (value: unknown): unknown => {
    if (typeof value !== 'string') return value;
    const parts = partsOf(value);
    if (parts === null) return scrub(value);
    return parts.some((part) => scrub(part) !== part) ? '[redacted]' : value;
  };
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(targets)) out[field] = Array.isArray(value) ? value.map(scrubbed) : scrubbed(value);
  return out;
}

/** The parts of a global id (its account and keys), or null for text that is none. */
function partsOf(value: string): string[] | null {
  try {
    const { providerId, keys } = decodeId(value);
    return [providerId, ...keys];
  } catch {
    return null;
  }
}
