import { GatewayError } from '../domain/errors.js';

/**
 * A provider's id field as the text of a native id. A JSON number past 2^53
 * has lost digits by the time it is parsed (9007199254740993 reads as
 * 9007199254740992), so two objects could share one id and a mutation meant
 * for one act on the other: an id that is not a safe integer or a string
 * makes the answer invalid, never a guessed id.
 *
 * A record without its id makes the answer invalid too. None of the four
 * APIs documents an id-less record, so one means the answer is not what the
 * mapper reads (another API version, an error page shaped as a list); taken
 * as an empty id, a list of them read as a healthy account whose objects no
 * id, mutation or cache entry could address.
 */
export function idText(value: unknown, provider: string): string {
  const id = idTextOrNull(value, provider);
  // Not an unreadable id: a list of id-less records is an answer the mapper does not read (see above), all of it.
  if (id === null) throw new GatewayError('PROVIDER_ERROR', `provider ${provider} sent a record without its id`, { provider, providerCode: 'INVALID_RESPONSE' });
  return id;
}

/**
 * The longest native id read, in bytes of its JSON text (UTF-8, control characters as `\u0000`
 * escapes: what it takes inside a global id). Every id the four APIs make is far shorter (a Danube
 * hostname, the longest, is at most 253 characters). A global id holds at most two of them beside
 * parts the code bounds (disk numbers, task ids, a client's name): 1,759 characters at the longest,
 * within the 2,048 `decodeId` reads (test/unit/longest-global-ids.test.ts). A third id read up to
 * this bound would pass that limit, and its object could not be asked for again by its id. A
 * longer one (a provider's id of 2,000 characters) was answered inside an id the gateway then
 * refused as the client's "malformed id".
 */
export const MAX_NATIVE_ID_BYTES = 512;
/** With the u flag a surrogate pair is one code point: only unpaired halves match. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** As `idText`, with null for an absent or empty id (a reference that may be missing). */
export function idTextOrNull(value: unknown, provider: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') return readableId(value, provider);
  if (Number.isSafeInteger(value)) return String(value);
  throw invalidAnswer(provider, 'an id that cannot be read exactly (not a string nor an integer below 2^53)');
}

/**
 * A string id the gateway can answer and read back: within MAX_NATIVE_ID_BYTES and no half of a
 * surrogate pair (no character: `decodeId` refuses an id holding one, and it went out to clients
 * as the `nativeId` too). Never quoted: its text is the provider's.
 */
function readableId(value: string, provider: string): string {
  if (LONE_SURROGATE.test(value)) throw invalidAnswer(provider, 'an id holding half a surrogate pair (no character)');
  // No character takes more than 6 bytes in JSON: a short id (every real one) is not measured.
  if (value.length <= MAX_NATIVE_ID_BYTES / 6) return value;
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8') - 2;
  if (bytes > MAX_NATIVE_ID_BYTES) throw invalidAnswer(provider, `an id of ${bytes} bytes (at most ${MAX_NATIVE_ID_BYTES} are read)`);
  return value;
}

/**
 * An id the gateway could not answer and read back (too long, half a surrogate pair, a number past
 * 2^53 or of no id's type). In a list, the row holding it is left out and the others answered
 * (readable-rows.ts); anywhere else it is the provider's INVALID_RESPONSE, as before.
 */
export class UnreadableNativeId extends GatewayError {}

function invalidAnswer(provider: string, what: string): UnreadableNativeId {
  return new UnreadableNativeId('PROVIDER_ERROR', `provider ${provider} sent ${what}`, { provider, providerCode: 'INVALID_RESPONSE' });
}
