import type { Socket } from 'node:net';

/** The two reads of node's HTTP parser this needs (node 20 has both): llhttp's state, kept in C++. */
interface RequestParserState {
  /** Milliseconds since the parser's current request began (or, before the first, since the connection's accept); 0 when none has begun since the last one ended. */
  duration(): number;
  headersCompleted(): boolean;
}

const readsState = (parser: unknown): parser is RequestParserState =>
  typeof parser === 'object' && parser !== null && typeof (parser as Partial<RequestParserState>).duration === 'function' && typeof (parser as Partial<RequestParserState>).headersCompleted === 'function';

/**
 * Whether a request's headers have begun on this connection and not all come, as node's own HTTP
 * parser (`socket.parser`, undocumented, the same state node's headers timeout reads) tells: it has
 * read every byte the connection has, so the first bytes of a next request that came in the same
 * read as the end of the last one count, and the empty lines HTTP/1.1 lets a client send between
 * requests (a CRLF after a body) do not: llhttp skips them before a request begins.
 * Undefined where the connection has no such parser (none yet, or a runtime without those reads).
 */
export function requestHeadArriving(socket: Socket): boolean | undefined {
  // The parser times a connection from its accept, before any byte (node's headers timeout covers
  // a client that never sends): one that has read nothing has begun no request.
  if (socket.bytesRead === 0) return false;
  const parser: unknown = (socket as Socket & { parser?: unknown }).parser;
  if (!readsState(parser)) return undefined;
  return parser.duration() > 0 && !parser.headersCompleted();
}
