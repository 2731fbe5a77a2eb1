import { describe, expect, it } from 'vitest';
import { HeldKeys } from '../../src/server/held-keys.js';

/**
 * A key a shared counter found over its limit is refused from here until its window ends (a
 * WebSocket operation, a connection_init cannot wait for Redis): held neither longer nor shorter.
 */
describe('HeldKeys: keys over a shared limit, each until its window ends', () => {
  it('holds a key for the time its window has left, counting down on the clock, then lets it go', () => {
    const clock = { now: 1_000 };
    const held = new HeldKeys(() => clock.now);
    expect(held.heldFor('ip 192.0.2.1')).toBe(0);
    held.hold('ip 192.0.2.1', 5_000);
    expect(held.heldFor('ip 192.0.2.1')).toBe(5_000);
    expect(held.heldFor('ip 192.0.2.2')).toBe(0);
    clock.now += 2_000;
    expect(held.heldFor('ip 192.0.2.1')).toBe(3_000);
    clock.now += 2_999;
    expect(held.heldFor('ip 192.0.2.1')).toBe(1);
    clock.now += 1;
    expect(held.heldFor('ip 192.0.2.1')).toBe(0);
    clock.now += 1_000;
    expect(held.heldFor('ip 192.0.2.1')).toBe(0);
  });

  it('holds a key again for a later window, and not at all for a window already over', () => {
    const clock = { now: 50_000 };
    const held = new HeldKeys(() => clock.now);
    held.hold('key k1', 1_000);
    clock.now += 1_500;
    expect(held.heldFor('key k1')).toBe(0);
    held.hold('key k1', 2_000);
    expect(held.heldFor('key k1')).toBe(2_000);
    held.hold('key k2', 0);
    held.hold('key k3', -10);
    expect(held.heldFor('key k2')).toBe(0);
    expect(held.heldFor('key k3')).toBe(0);
  });
});
