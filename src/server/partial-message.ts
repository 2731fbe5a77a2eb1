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
