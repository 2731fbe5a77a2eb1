import type WebSocket from 'ws';

/** The part of ws's receiver (not in its types) that says whether a fragmented message is under way. */
interface ReceiverState {
  /** The opcode of the fragmented message being received, 0 when none is. */
  _fragmented?: unknown;
}

/**
 * Whether ws holds the first fragments of a message from `socket` whose last one has not come.
 * ws keeps them (up to `maxPayload`) until it does, and a client answers pings between fragments,
 * so the keep-alive alone never ends such a connection; ws tells of no fragment, so its receiver's
 * state is read (test/security/ws-partial-message.test.ts fails if ws renames it).
 */
export function holdsPartialMessage(socket: WebSocket): boolean {
  const receiver = (socket as unknown as { _receiver?: ReceiverState | null })._receiver;
  return typeof receiver?._fragmented === 'number' && receiver._fragmented !== 0;
}

/**
 * At each ping, what to make of a message under way: `close` when the same one (no message
 * finished since) was already under way at the last ping, else the marker to keep for the next
 * (the number of messages received while one is under way, null when none is). While the
 * server has the socket paused (the client is behind on its answers) nothing can arrive, so
 * the marker is kept as it was: reset, a client that kept itself paused by taking its answers
 * a little at a time held its first fragments for ever.
 */
export function partialMessageAtPing(marker: number | null, now: { paused: boolean; holdsPartial: boolean; messagesReceived: number }): number | null | 'close' {
  if (now.paused) return marker;
  if (!now.holdsPartial) return null;
  return marker === now.messagesReceived ? 'close' : now.messagesReceived;
}
