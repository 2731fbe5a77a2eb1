import { describe, expect, it } from 'vitest';
import { judgeLook } from '../../src/server/stalled-answers.js';

const STALL_MS = 500;

describe('judgeLook: one look at an HTTP answer its client has not taken', () => {
  it('stops watching once libuv holds nothing', () => {
    expect(judgeLook({ unsent: 0, unsentBefore: 100, sinceLastLookMs: STALL_MS, stallMs: STALL_MS })).toBe('delivered');
  });

  it('keeps a connection whose client took some bytes since the last look, and the first look', () => {
    expect(judgeLook({ unsent: 99, unsentBefore: 100, sinceLastLookMs: STALL_MS, stallMs: STALL_MS })).toBe('keep');
    expect(judgeLook({ unsent: 100, unsentBefore: Number.POSITIVE_INFINITY, sinceLastLookMs: STALL_MS, stallMs: STALL_MS })).toBe('keep');
  });

  it('drops a connection that took nothing in a whole period, the look on time or a little late', () => {
    expect(judgeLook({ unsent: 100, unsentBefore: 100, sinceLastLookMs: STALL_MS, stallMs: STALL_MS })).toBe('drop');
    expect(judgeLook({ unsent: 100, unsentBefore: 100, sinceLastLookMs: STALL_MS * 1.5, stallMs: STALL_MS })).toBe('drop');
  });

  // Seen under a load average of 12: looks 500 ms apart came 2.9 s apart, and a client that had read 1.3 MB was dropped.
  it('judges nothing at a late look: the gateway could not write through that period either', () => {
    expect(judgeLook({ unsent: 100, unsentBefore: 100, sinceLastLookMs: STALL_MS * 1.5 + 1, stallMs: STALL_MS })).toBe('keep');
    expect(judgeLook({ unsent: 100, unsentBefore: 100, sinceLastLookMs: 2_900, stallMs: STALL_MS })).toBe('keep');
  });
});
