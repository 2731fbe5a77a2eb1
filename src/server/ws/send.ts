import { WebSocket } from 'ws';
import { pastSendCap } from '../send-cap.js';
import { pauseIfBehind, resumeIfCaughtUp } from '../unread-answers.js';
import type { ConnectionShare } from '../unsent-answers.js';
import type { CloseAfterMutations } from './close-after-mutations.js';

/** Logged (debug) when the gateway stops reading a client that has not taken its answers (see unread-answers.ts), and when it reads it again. */
export const UNREAD_PAUSED_LINE = 'WebSocket client read no more until it takes its answers';
export const UNREAD_RESUMED_LINE = 'WebSocket client read again: it has taken its answers';

export interface SendHooks {
  /** `limits.maxWsBufferedBytes`. */
  capBytes: number;
  /** This connection's part of its address's unsent answers (`limits.maxUnsentAnswerBytesPerAddress`). */
  addressShare: ConnectionShare;
  /** The operation `message` answers when it is one that acted (a mutation): never refused, for its address or the cap; else null. */
  actingAnswerOf(message: string): string | null;
  /** That operation's message reached the kernel (not called when it failed with the connection). */
  actingAnswerSent(id: string): void;
  /** Where the two closes below wait while a mutation's answer is still to send. */
  closing: CloseAfterMutations;
  /** Its address has more than its limit of answers unsent: close it (a refusal the client brings about at will: logged throttled). */
  addressTooFarBehind(reason: string): void;
  /** The client has more than the cap queued unsent: close it (it is not reading). */
  tooFarBehind(reason: string, queuedBytes: number): void;
  /** The gateway stopped reading the client, or reads it again (for a debug line). */
  readingChanged(line: typeof UNREAD_PAUSED_LINE | typeof UNREAD_RESUMED_LINE): void;
}

/**
 * graphql-ws's `send` for one connection, with backpressure. graphql-ws sends an operation's next
 * message only once the last one has been handed to the kernel (the promise resolves then), but
 * that bounds nothing per connection: answers can be megabytes, 20 operations run at once, and a
 * client's `complete` frees its operation's place while the answer is still queued, so a client
 * that sends operations and reads nothing made ws queue its answers without end. A message to a
 * connection that already has more than the cap queued is not queued: the connection closes
 * (closeFirmly drops it if the close frame cannot get through its full buffer, which frees what
 * it held). Checked before queuing, so one answer larger than the cap still goes out whole; a
 * connection holds at most the cap plus one message. What is counted: see pastSendCap.
 *
 * A mutation's answer is the exception: it goes out whatever is queued, and a close asked for
 * while one is running waits until its answer has gone out (CloseAfterMutations), other messages
 * being dropped meanwhile: a client that never got it would send the mutation again.
 */
export function backpressuredSend(socket: WebSocket, hooks: SendHooks): (data: string) => Promise<void> {
  /**
   * Messages handed to ws and not yet to the kernel, and the largest of them since there were
   * none (kept, not recomputed, as one finishes: a client's pings can leave hundreds of
   * thousands of pongs queued, and the bound stays the cap plus one message).
   */
  let unsentCount = 0;
  let largestUnsent = 0;
  return (data) =>
    new Promise<void>((resolve) => {
      // Closing (for falling behind too): nothing more is queued.
      if (socket.readyState !== WebSocket.OPEN) return resolve();
      const acting = hooks.actingAnswerOf(data);
      const acted = acting !== null;
      // Closing once the mutations' answers are out: the client will ask again for the rest.
      if (hooks.closing.waits && !acted) return resolve();
      const size = Buffer.byteLength(data);
      if (!acted && pastSendCap(socket.bufferedAmount, size, largestUnsent, hooks.capBytes)) {
        const queuedBytes = socket.bufferedAmount;
        hooks.closing.request(() => hooks.tooFarBehind(`not reading: more than ${hooks.capBytes} bytes queued unsent`, queuedBytes));
        return resolve();
      }
      const addressRefusal = hooks.addressShare.take(size);
      // A mutation's answer goes out, uncounted, as over HTTP: refusing it would close the
      // connection after the mutation acted, and the client would send it again.
      const counted = addressRefusal === null;
      if (!counted && !acted) {
        hooks.closing.request(() => hooks.addressTooFarBehind(`not reading: ${addressRefusal}`));
        return resolve();
      }
      unsentCount += 1;
      largestUnsent = Math.max(largestUnsent, size);
      if (acted) hooks.closing.answerQueued();
      // A send fails only with the connection (a reset, a closed socket): its 'error' and
      // 'close' handlers say so once, and there is no one left to answer.
      socket.send(data, (error) => {
        if (counted) hooks.addressShare.sent(size);
        unsentCount -= 1;
        if (unsentCount === 0) largestUnsent = 0;
        if (resumeIfCaughtUp(socket)) hooks.readingChanged(UNREAD_RESUMED_LINE);
        if (acting !== null) {
          // Failed with the connection, it is an answer its client was not handed (logged at the close).
          if (!error) hooks.actingAnswerSent(acting);
          hooks.closing.answerSent();
        }
        resolve();
      });
      if (pauseIfBehind(socket)) hooks.readingChanged(UNREAD_PAUSED_LINE);
    });
}
