import { describe, expect, it } from 'vitest';
import { partialMessageAtPing } from '../../src/server/partial-message.js';

/** The keep-alive's rule for a WebSocket message sent in fragments: finished within a period, or the connection closes. */
describe('partialMessageAtPing', () => {
  it('marks a message under way at one ping and closes at the next if no message finished meanwhile', () => {
    const first = partialMessageAtPing(null, { paused: false, holdsPartial: true, messagesReceived: 4 });
    expect(first).toBe(4);
    expect(partialMessageAtPing(4, { paused: false, holdsPartial: true, messagesReceived: 4 })).toBe('close');
  });

  it('starts again when a message finished meanwhile (another may be under way), and forgets the mark when none is', () => {
    expect(partialMessageAtPing(4, { paused: false, holdsPartial: true, messagesReceived: 5 })).toBe(5);
    expect(partialMessageAtPing(4, { paused: false, holdsPartial: false, messagesReceived: 4 })).toBeNull();
    expect(partialMessageAtPing(null, { paused: false, holdsPartial: false, messagesReceived: 0 })).toBeNull();
    // A mark of 0 messages is a mark, not none.
    expect(partialMessageAtPing(0, { paused: false, holdsPartial: true, messagesReceived: 0 })).toBe('close');
  });

  it('keeps the mark while the server has the socket paused, so a client that keeps itself paused cannot hold its fragments for ever', () => {
    expect(partialMessageAtPing(4, { paused: true, holdsPartial: true, messagesReceived: 4 })).toBe(4);
    expect(partialMessageAtPing(null, { paused: true, holdsPartial: true, messagesReceived: 4 })).toBeNull();
    // Paused at every other ping: the first unpaused ping after the mark closes it.
    let mark = partialMessageAtPing(null, { paused: false, holdsPartial: true, messagesReceived: 7 });
    for (let round = 0; round < 3; round++) {
      mark = partialMessageAtPing(mark as number | null, { paused: true, holdsPartial: true, messagesReceived: 7 });
      expect(mark).toBe(7);
    }
    expect(partialMessageAtPing(mark as number | null, { paused: false, holdsPartial: true, messagesReceived: 7 })).toBe('close');
  });
});
