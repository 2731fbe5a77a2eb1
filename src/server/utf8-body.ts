import { isUtf8 } from 'node:buffer';

/** The body parser's error `type` for a body that is not UTF-8 (body-errors.ts answers it). */
export const NOT_UTF8_BODY = 'entity.not.utf8';

/** The close reason of a WebSocket connection whose binary frame is not UTF-8 (code 1007, as ws closes a text frame). */
export const NOT_UTF8_MESSAGE = 'a binary message is not UTF-8: send each message as UTF-8 text';

/**
 * express.json's `verify`: refuses a body whose bytes are not UTF-8 (400). The parser decoded
 * each bad sequence as U+FFFD and went on, so a body cut mid-character, or a note in Latin-1 sent
 * as UTF-8, ran with text the client never sent: a note stored with U+FFFD at the provider, and
 * two idempotency keys differing only in such bytes read as one key, the second request answered
 * the first's result without acting (as lone surrogates did, input-checks.ts). Over WebSocket ws
 * closes a text frame that is not UTF-8 (1007), but not a binary one: isUtf8Message.
 */
export function refuseNotUtf8(body: Buffer): void {
  if (isUtf8(body)) return;
  throw Object.assign(new Error('request body is not UTF-8'), { status: 400, type: NOT_UTF8_BODY });
}

/**
 * Whether a WebSocket message's bytes are UTF-8. A text frame always is (ws closes one that is
 * not, 1007); a binary frame ws hands over unchecked, and `String(data)` read each bad sequence
 * as U+FFFD: the hole refuseNotUtf8 closes over HTTP.
 */
export function isUtf8Message(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): boolean {
  if (!isBinary) return true;
  return isUtf8(Array.isArray(data) ? Buffer.concat(data) : data);
}
