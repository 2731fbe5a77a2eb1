import type { ServerResponse } from 'node:http';

/** More header lines than undici reads (its limit is 16 KiB of headers): about 64 KiB of them. */
const FLOOD_LINES = 2_000;

/**
 * The 'header-flood' and 'not-http' faults: bytes written to the socket past node's HTTP writer,
 * which would frame them as a proper answer, then the connection closed. The provider answered,
 * but with nothing an HTTP client can read.
 */
export function writeUnreadableHttp(res: ServerResponse, mode: 'header-flood' | 'not-http'): void {
  const socket = res.socket;
  if (!socket) return;
  const text =
    mode === 'header-flood'
      ? `HTTP/1.1 200 OK\r\n${Array.from({ length: FLOOD_LINES }, (_, index) => `x-filler-${index}: ${'f'.repeat(20)}`).join('\r\n')}\r\ncontent-length: 2\r\n\r\n[]`
      : 'HTTP/1.1 ok\r\ncontent-length: 2\r\n\r\n[]';
  socket.end(text);
}
