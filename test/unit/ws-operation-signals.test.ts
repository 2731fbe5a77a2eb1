import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { OperationSignals, cancelledOperationId } from '../../src/server/ws/operation-signals.js';

describe('cancelledOperationId', () => {
  it('reads the id of a complete message, written plainly or with escapes', () => {
    expect(cancelledOperationId('{"id":"q1","type":"complete"}')).toBe('q1');
    expect(cancelledOperationId('{"type":"compl\\u0065te","id":"\\u0071\\u0031"}')).toBe('q1');
  });

  it('reads nothing of any other message', () => {
    for (const text of ['{"id":"q1","type":"subscribe","payload":{"query":"{ providers { id } }"}}', '{"type":"ping"}', '{"id":7,"type":"complete"}', 'null', '"complete"', 'not json', '[{"id":"q1","type":"complete"}]']) {
      expect(cancelledOperationId(text)).toBeUndefined();
    }
  });

  it('does not parse a message longer than any complete can be', () => {
    expect(cancelledOperationId(`{"id":"q1","type":"complete","pad":"${'x'.repeat(2_000)}"}`)).toBeUndefined();
  });
});

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
});
