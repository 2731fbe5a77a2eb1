import { isUtf8 } from 'node:buffer';
import { GatewayError } from '../domain/errors.js';
import { parseJsonInTurns } from './json-in-turns.js';

/** The text of an answer's bytes, decoded in the charset its content type names (see `decoded`). */
export function answerText(bytes: Buffer, contentType: string | string[] | undefined): string {
  return decoded(bytes, answerDecoder(contentType));
}

/**
 * UTF-8 unless the charset named says otherwise and the bytes agree: UTF-16 as named, and a
 * single-byte charset (Latin-1) only for bytes that are not UTF-8, since servers label UTF-8
 * answers Latin-1 too (JSON is UTF-8 by its RFC), and those read as before.
 */
function decoded(bytes: Buffer, decoder: TextDecoder | null): string {
  if (decoder === null || (!decoder.encoding.startsWith('utf-16') && isUtf8(bytes))) return withoutUtf8Mark(bytes);
  return decoder.decode(bytes);
}

/**
 * UTF-8, less a byte-order mark at the start (TextDecoder drops it too): JSON.parse refuses one,
 * and a provider whose server writes it (RFC 8259 lets a reader ignore it) failed every call as
 * malformed JSON.
 */
function withoutUtf8Mark(bytes: Buffer): string {
  const marked = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return bytes.toString('utf8', marked ? 3 : 0);
}

const UTF8_NAME = /^(?:utf-?8|unicode-1-1-utf-8)$/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

/**
 * A decoder for the charset a content type names; null for UTF-8 (read natively), none named,
 * or one no decoder knows (see `decoded` for when it is used). Read as UTF-8, a Latin-1 answer had each letter past ASCII as U+FFFD:
 * names were mangled, and an API key it quoted ("Grüße-...") went out less those letters, past
 * the scrubber, which looks for the key as configured. A UTF-16 answer was malformed JSON.
 */
export function answerDecoder(contentType: string | string[] | undefined): TextDecoder | null {
  const charset = CHARSET.exec(String(contentType ?? ''))?.[1];
  // Most answers say utf-8: no decoder made for each of them.
  if (charset === undefined || UTF8_NAME.test(charset)) return null;
  try {
    const decoder = new TextDecoder(charset);
    return decoder.encoding === 'utf-8' ? null : decoder;
  } catch {
    return null;
  }
}

export class ResponseTooLargeError extends Error {}

/** Matches an empty or all-whitespace answer without copying it (as trim() would). */
const BLANK = /^\s*$/;

/**
 * Answers longer than this are parsed in pieces, a turn of the event loop between them
 * (json-in-turns.ts); shorter ones by one JSON.parse, which holds the loop up to ~5 ms for 1 MB of
 * rows (~40 ms for 1 MB of `{},{},...`, the most containers a megabyte holds).
 */
export const PARSE_IN_TURNS_CHARS = 1_000_000;

/** Empty -> null; JSON -> value; anything else on a 2xx is an invalid answer. */
export function parseBody(text: string, contentType: string | string[] | undefined, status: number, provider: string): unknown {
  if (BLANK.test(text)) return null;
  const looksJson = readAsJson(contentType, status);
  if (looksJson) {
    try {
      return JSON.parse(text);
    } catch {
      // fall through: a truncated or malformed answer
    }
  }
  return notJson(looksJson, status, provider);
}

/** `parseBody` for an answer past PARSE_IN_TURNS_CHARS: the same values and the same errors, read in turns. */
export async function parseBodyInTurns(text: string, contentType: string | string[] | undefined, status: number, provider: string): Promise<unknown> {
  if (BLANK.test(text)) return null;
  const looksJson = readAsJson(contentType, status);
  if (looksJson) {
    try {
      return await parseJsonInTurns(text);
    } catch {
      // fall through: a truncated or malformed answer
    }
  }
  return notJson(looksJson, status, provider);
}

const isJsonType = (contentType: string | string[] | undefined): boolean => String(contentType ?? '').toLowerCase().includes('json');

/**
 * JSON by its content type, or when it names none; an error status's body is tried as JSON whatever
 * it is labelled (null when it is none). ZStack's RestServer (`RestServer.sendResponse`) sets a
 * status and writes its JSON with no content type: its answers were refused as "not JSON", and its
 * failure answer (a 503 `{"error": ...}`) taken for an outage. A label that names something else
 * (a proxy's `text/html` page) still means no JSON on a 2xx.
 */
const readAsJson = (contentType: string | string[] | undefined, status: number): boolean =>
  status >= 400 || isJsonType(contentType) || String(contentType ?? '').trim() === '';

/**
 * A 2xx labelled as something other than JSON (a web server's `text/html` page): told apart from
 * malformed JSON, a cut answer of the API itself, so an adapter can say its url points at another server.
 */
export class NotJsonAnswer extends GatewayError {
  constructor(
    provider: string,
    readonly status: number,
  ) {
    super('PROVIDER_ERROR', `provider ${provider} sent an answer that is not JSON`, { provider, providerCode: 'INVALID_RESPONSE' });
  }
}

/** What an answer JSON.parse refused (or that is no JSON) is: null on an error status, else a provider error. */
function notJson(looksJson: boolean, status: number, provider: string): null {
  if (status >= 400) return null;
  if (!looksJson) throw new NotJsonAnswer(provider, status);
  throw new GatewayError('PROVIDER_ERROR', `provider ${provider} sent malformed JSON`, { provider, providerCode: 'INVALID_RESPONSE' });
}
