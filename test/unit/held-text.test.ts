import { describe, expect, it } from 'vitest';
import { HeldText } from '../../src/server/held-text.js';

describe("HeldText: what a WebSocket connection's running operations hold", () => {
  it('lets operations in up to the limit, counting what those still running hold', () => {
    const held = new HeldText(10);
    expect(held.fits(10)).toBe(true);
    expect(held.fits(11)).toBe(false);
    held.hold('1', 4);
    expect(held.characters).toBe(4);
    expect(held.fits(6)).toBe(true);
    expect(held.fits(7)).toBe(false);
    held.hold('2', 6);
    expect(held.characters).toBe(10);
    expect(held.fits(1)).toBe(false);
    expect(held.fits(0)).toBe(true);
  });

  it('an operation that ends gives back its characters, once: releasing it again, or an id never held, changes nothing', () => {
    const held = new HeldText(10);
    held.hold('1', 4);
    held.hold('2', 5);
    held.release('1');
    expect(held.characters).toBe(5);
    expect(held.fits(5)).toBe(true);
    held.release('1');
    held.release('never');
    expect(held.characters).toBe(5);
    held.release('2');
    expect(held.characters).toBe(0);
  });

  it('an id used again before its first operation ended: each end gives back the oldest of that id', () => {
    const held = new HeldText(100);
    held.hold('a', 30);
    held.hold('a', 7);
    expect(held.characters).toBe(37);
    held.release('a');
    expect(held.characters).toBe(7);
    held.release('a');
    expect(held.characters).toBe(0);
    held.release('a');
    expect(held.characters).toBe(0);
    // Held afresh after both ended.
    held.hold('a', 2);
    held.release('a');
    expect(held.characters).toBe(0);
  });

  it('keeps no id whose operations have all ended: a connection running operation after operation, each with a new id, holds nothing', () => {
    const held = new HeldText(100);
    for (let n = 0; n < 1_000; n++) {
      held.hold(`op-${n}`, 10);
      held.release(`op-${n}`);
    }
    held.hold('again', 1);
    held.hold('again', 1);
    held.release('again');
    expect(held.ids).toBe(1);
    held.release('again');
    expect(held.ids).toBe(0);
    expect(held.characters).toBe(0);
  });
});
