import type { Socket } from 'node:net';

/**
 * The two reads of node's HTTP parser this needs, llhttp's state kept in C++, exposed to JS for
 * node's own headers timeout (lib/_http_server.js's checkConnections) and documented nowhere.
 * Read on node 20.20 (installed here) and in nodejs/node's src/node_http_parser.cc at 6155a1ff,
 * the llhttp parser of the 22 and 24 lines (`SetProtoMethod(..., "duration", Parser::Duration)`,
 * `"headersCompleted"`), and in the milo parser's experiment, which keeps both: `duration()` the
 * milliseconds since `last_message_start_` (set at each message's start, 0 at its end, at the
 * parser's initialize before that), `headersCompleted()` set at the head's end, cleared at the
 * next message's start. Both since node 18.0 (the connections check came with them).
 */
interface RequestParserState {
  duration(): unknown;
  headersCompleted(): unknown;
}

const hasReads = (parser: unknown): parser is RequestParserState =>
  typeof parser === 'object' && parser !== null && typeof (parser as Partial<RequestParserState>).duration === 'function' && typeof (parser as Partial<RequestParserState>).headersCompleted === 'function';

/**
 * Whether a request's headers have begun on this connection and not all come, as node's own HTTP
 * parser (`socket.parser`, undocumented, the same state node's headers timeout reads) tells: it has
 * read every byte the connection has, so the first bytes of a next request that came in the same
 * read as the end of the last one count, and the empty lines HTTP/1.1 lets a client send between
 * requests (a CRLF after a body) do not: llhttp skips them before a request begins.
 *
 * Undefined where node does not tell, and the caller falls back to the byte counts
 * (unfinished-heads-at-drain.ts): no parser (none yet, or freed: node sets it null), a parser
 * without the two reads (a runtime or node version that dropped or renamed them), one whose reads
 * throw, or answer what is no reading (a C++ side already gone unwraps to undefined; a later node
 * could return a bigint or a state): read as false, as it was, such a connection was closed under
 * a request it was still sending.
 */
export function requestHeadArriving(socket: Socket): boolean | undefined {
  // The parser times a connection from its accept, before any byte (node's headers timeout covers
  // a client that never sends): one that has read nothing has begun no request.
  if (socket.bytesRead === 0) return false;
  const parser: unknown = (socket as Socket & { parser?: unknown }).parser;
  if (!hasReads(parser)) return undefined;
  let duration: unknown;
  let headersCompleted: unknown;
  try {
    duration = parser.duration();
    headersCompleted = parser.headersCompleted();
  } catch {
    return undefined;
  }
  if (typeof duration !== 'number' || !Number.isFinite(duration) || duration < 0 || typeof headersCompleted !== 'boolean') return undefined;
  return duration > 0 && !headersCompleted;
}
