import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ActingAnswers } from '../../src/server/ws/acting-answers.js';
import { CloseAfterMutations } from '../../src/server/ws/close-after-mutations.js';
import { backpressuredSend } from '../../src/server/ws/send.js';
import { ConnectionShare, UnsentAnswerBytes } from '../../src/server/unsent-answers.js';

const CAP = 1024;

/** What backpressuredSend reads of a ws socket; a write reaches "the kernel" only when the test says so. */
class HeldSocket {
  readonly readyState = WebSocket.OPEN;
  bufferedAmount = 0;
  isPaused = false;
  private readonly unsent: Array<{ data: string; sent: () => void }> = [];

  send(data: string, sent: () => void): void {
    this.bufferedAmount += data.length;
    this.unsent.push({ data, sent });
  }

  pause(): void {
    this.isPaused = true;
  }

  resume(): void {
    this.isPaused = false;
  }

  /** The oldest write reaches the kernel; what it was. */
  flushOne(): string {
    const write = this.unsent.shift();
    if (!write) throw new Error('nothing unsent');
    this.bufferedAmount -= write.data.length;
    write.sent();
    return write.data;
  }
}

/** As ws-server.ts wires one connection: its mutations, its held-back close, its send. */
function connection() {
  const socket = new HeldSocket();
  const acting = new ActingAnswers();
  const closing = new CloseAfterMutations(() => acting.answering);
  const closes: string[] = [];
  const send = backpressuredSend(socket as unknown as WebSocket, {
    capBytes: CAP,
    addressShare: new ConnectionShare(new UnsentAnswerBytes(64 * 1024 * 1024), '127.0.0.1'),
    actingAnswerOf: (message) => acting.answerOf(message),
    actingAnswerSent: (id) => acting.sent(id),
    closing,
    tooFarBehind: (reason) => closes.push(reason),
    addressTooFarBehind: (reason) => closes.push(reason),
    readingChanged: () => {},
  });
  return { socket, acting, closing, closes, send };
}

const message = (id: string, type: 'next' | 'complete', payload?: unknown): string => JSON.stringify({ id, type, ...(payload === undefined ? {} : { payload }) });

describe("backpressuredSend: a close for falling behind waits until a mutation's complete has reached the kernel", () => {
  it("does not close when another operation ends while the mutation's complete is still queued in the gateway", async () => {
    const { socket, acting, closing, closes, send } = connection();
    acting.started('m', 'r1');
    // The client is past the cap (frames queued unread): a query's answer asks for the close, which waits for the mutation.
    socket.bufferedAmount += 4 * CAP;
    void send(message('q', 'next', { data: {} }));
    expect(closing.waits).toBe(true);
    // The mutation answers: its next goes out (graphql-ws waits for it to reach the kernel), then it ends.
    const next = send(message('m', 'next', { data: { createBackup: {} } }));
    expect(socket.flushOne()).toContain('createBackup');
    await next;
    acting.ended('m', true);
    closing.settle();
    // Its complete is handed to ws while the kernel takes no more (the client reads slowly).
    void send(message('m', 'complete'));
    expect(closes).toEqual([]);
    // Another operation of the connection ends meanwhile (ws-server's giveBack settles the close).
    closing.settle();
    // Closed now, the close frame's short wait dropped the connection with the complete unsent, and
    // graphql-ws's client, which had no `complete`, sent the mutation again on its next connection.
    expect(closes).toEqual([]);
    expect(socket.flushOne()).toBe(message('m', 'complete'));
    expect(closes).toHaveLength(1);
  });

  it("does not close at once for a later message past the cap while a mutation's complete is still queued", () => {
    const { socket, acting, closes, send } = connection();
    acting.started('m', 'r1');
    acting.ended('m', true);
    void send(message('m', 'complete'));
    // A subscription's update finds the connection past the cap (frames queued unread).
    socket.bufferedAmount += 4 * CAP;
    void send(message('s', 'next', { data: {} }));
    expect(closes).toEqual([]);
    socket.flushOne();
    expect(closes).toHaveLength(1);
  });
});
