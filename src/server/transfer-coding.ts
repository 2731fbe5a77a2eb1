import type { IncomingHttpHeaders } from 'node:http';

export const TRANSFER_CODING_REFUSED = 'a Transfer-Encoding other than chunked is not served: send the body as it is (Content-Length) or chunked, without gzip or other codings';

/**
 * Whether a request's body comes in a transfer coding the gateway does not decode. Node
 * frames a body by its last coding, chunked, and hands on the rest as it came: a body sent
 * `Transfer-Encoding: gzip, chunked` was read as if plain, and one a proxy in front had
 * decoded, or not, read differently by each. RFC 9112 6.1 has a server answer 501 instead.
 * Node joins several Transfer-Encoding lines with commas, so they are read together.
 */
export function unservedTransferCoding(headers: IncomingHttpHeaders): boolean {
  const codings = headers['transfer-encoding'];
  return codings !== undefined && codings.trim().toLowerCase() !== 'chunked';
}
