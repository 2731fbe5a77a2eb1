import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { KeepAlive } from '../../src/server/ws/keep-alive.js';

const PERIOD_MS = 1_000;

/** What KeepAlive reads of a ws socket: the test decides whether it is read from and what it has unsent. */
class QuietSocket extends EventEmitter {
  readonly readyState = WebSocket.OPEN;
  isPaused = false;
  bufferedAmount = 0;
  ping(): void {}
  terminate(): void {}
}

describe("KeepAlive: one more period for a mutation's answer, not more", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a client that missed a pong and then was paused (its answers piling up) is dropped one period after it was first given one more, not two', () => {
    const socket = new QuietSocket();
    const seen: string[] = [];
    const keepAlive = new KeepAlive(socket as unknown as WebSocket, {
      periodMs: PERIOD_MS,
      stoppedReading: () => seen.push('stoppedReading'),
      notAnswering: () => seen.push('notAnswering'),
      messageTooSlow: () => seen.push('messageTooSlow'),
      answersOwed: () => true,
      graceBegun: () => seen.push('graceBegun'),
    });
    // Pinged at 1 s; no pong by 2 s: one more period, for the mutation's answer.
    vi.advanceTimersByTime(2 * PERIOD_MS);
    expect(seen).toEqual(['graceBegun']);
    // More answers queue than the client takes: the gateway stops reading it, and it takes nothing since.
    socket.isPaused = true;
    socket.bufferedAmount = 2 * 1024 * 1024;
    vi.advanceTimersByTime(2 * PERIOD_MS);
    // Before, the first paused tick (3 s) took the grace back and the next (4 s) gave it again: dropped at 5 s.
    expect(seen).toEqual(['graceBegun', 'stoppedReading']);
    keepAlive.stop();
  });

  it('a paused client that takes some of its answers has shown it is there: its next stall gets one more period again', () => {
    const socket = new QuietSocket();
    socket.isPaused = true;
    socket.bufferedAmount = 2 * 1024 * 1024;
    const seen: string[] = [];
    const keepAlive = new KeepAlive(socket as unknown as WebSocket, {
      periodMs: PERIOD_MS,
      stoppedReading: () => seen.push('stoppedReading'),
      notAnswering: () => seen.push('notAnswering'),
      messageTooSlow: () => seen.push('messageTooSlow'),
      answersOwed: () => true,
      graceBegun: () => seen.push('graceBegun'),
    });
    // 1 s: what it has unsent noted; 2 s: nothing taken, one more period.
    vi.advanceTimersByTime(2 * PERIOD_MS);
    expect(seen).toEqual(['graceBegun']);
    // It takes some by 3 s, then stalls again: 4 s nothing taken, one more period; 5 s dropped.
    socket.bufferedAmount -= 1024;
    vi.advanceTimersByTime(PERIOD_MS);
    vi.advanceTimersByTime(PERIOD_MS);
    expect(seen).toEqual(['graceBegun', 'graceBegun']);
    vi.advanceTimersByTime(PERIOD_MS);
    expect(seen).toEqual(['graceBegun', 'graceBegun', 'stoppedReading']);
    keepAlive.stop();
  });
});
