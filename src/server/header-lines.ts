import type { Server } from 'node:http';

/**
 * Every header line of a request reaches the gateway, however many. Node keeps
 * the first 1,000 by default (`maxHeadersCount`) and drops the rest without a
 * word, so a client that sent 1,000 lines of filler first hid whatever came
 * after them: the X-Forwarded-For line a trusted proxy appends (HAProxy's
 * `option forwardfor` adds its own line last), leaving only the one the
 * client forged before the filler, an address of its own choosing for every
 * per-address limit (a fresh one per guess of a key, or a victim's); and a
 * body's `content-type` and `content-length`. Headers stay bounded by node's
 * 16 KiB (431 past it, src/server/unreadable-requests.ts): some 4,000 lines
 * at most, each a few bytes.
 */
export function keepEveryHeaderLine(server: Server): void {
  // 0 is node's "no limit" on the count; the size limit still holds.
  server.maxHeadersCount = 0;
}
