import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { OperationSignals } from '../../src/server/ws/operation-signals.js';

describe('OperationSignals', () => {
  it("aborts a cancelled operation's signal only", () => {
    const gone = new AbortController();
    const signals = new OperationSignals(gone.signal);
    const first = signals.open('a');
    const second = signals.open('b');
    signals.cancel('a');
    expect(first.aborted).toBe(true);
    expect(second.aborted).toBe(false);
  });

  it("aborts every running operation's signal when the connection closes, and one opened after at once", () => {
    const gone = new AbortController();
    const signals = new OperationSignals(gone.signal);
    const running = signals.open('a');
    gone.abort();
    expect(running.aborted).toBe(true);
    expect(signals.open('b').aborted).toBe(true);
  });

  it('lets go of the connection signal as each operation ends, cancelled or not', () => {
    const gone = new AbortController();
    const signals = new OperationSignals(gone.signal);
    const ended = signals.open('a');
    signals.open('b');
    signals.end('a');
    signals.cancel('b');
    signals.cancel('a');
    expect(getEventListeners(gone.signal, 'abort')).toHaveLength(0);
    // Ended, an operation is no longer aborted by a late cancel of its id (which a new operation may hold next).
    expect(ended.aborted).toBe(false);
  });

  it('cancels the operations graphql-ws no longer holds, whatever the message that made it forget them', () => {
    const gone = new AbortController();
    const signals = new OperationSignals(gone.signal);
    const forgotten = signals.open('a');
    const held = signals.open('b');
    signals.cancelForgotten((id) => id === 'b');
    expect(forgotten.aborted).toBe(true);
    expect(held.aborted).toBe(false);
    expect(getEventListeners(gone.signal, 'abort')).toHaveLength(1);
  });

  it('keeps one listener at most on the connection signal over 10,000 operations opened and cancelled, ended or forgotten', () => {
    const gone = new AbortController();
    const signals = new OperationSignals(gone.signal);
    let most = 0;
    for (let n = 0; n < 10_000; n += 1) {
      const id = `op-${n % 3}`;
      signals.open(id);
      most = Math.max(most, getEventListeners(gone.signal, 'abort').length);
      if (n % 3 === 0) signals.cancel(id);
      else if (n % 3 === 1) signals.end(id);
      else signals.cancelForgotten(() => false);
    }
    expect(most).toBe(1);
    expect(getEventListeners(gone.signal, 'abort')).toHaveLength(0);
  });

  it('ends an id it never opened, or one already ended, without failing', () => {
    const gone = new AbortController();
    const signals = new OperationSignals(gone.signal);
    expect(() => signals.end('never-opened')).not.toThrow();
    signals.open('a');
    signals.end('a');
    expect(() => signals.end('a')).not.toThrow();
  });
});
