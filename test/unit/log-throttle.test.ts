import { describe, expect, it } from 'vitest';
import { LogThrottle } from '../../src/observability/log-throttle.js';

describe('LogThrottle', () => {
  it('lets one line per key through per period and says how many it left out', () => {
    const throttle = new LogThrottle(1_000);
    expect(throttle.take('a', 0)).toBe(0);
    expect(throttle.take('a', 10)).toBeNull();
    expect(throttle.take('a', 999)).toBeNull();
    expect(throttle.take('b', 999)).toBe(0);
    expect(throttle.take('a', 1_000)).toBe(2);
    expect(throttle.take('a', 1_500)).toBeNull();
    expect(throttle.take('a', 2_000)).toBe(1);
  });

  it('remembers at most maxKeys: past it, keys whose period is over are forgotten, and the rest share one line per period', () => {
    const throttle = new LogThrottle(1_000, 2);
    expect(throttle.take('a', 0)).toBe(0);
    expect(throttle.take('b', 500)).toBe(0);
    // Full, both within their period: the key is not remembered and shares the overflow's line.
    expect(throttle.take('c', 600)).toBe(0);
    expect(throttle.take('c', 700)).toBeNull();
    expect(throttle.take('e', 800)).toBeNull();
    expect(throttle.take('b', 700)).toBeNull();
    // 'a' is past its period at 1,200 and is forgotten to make room.
    expect(throttle.take('d', 1_200)).toBe(0);
    expect(throttle.take('d', 1_300)).toBeNull();
    // Full again ('b', 'd'): 'a' shares the overflow's line, whose period (from 600) is not over.
    expect(throttle.take('a', 1_300)).toBeNull();
    // 'b' starts its period again (1,500); then the overflow's line is due (600 + 1,000), counting c, e, a.
    expect(throttle.take('b', 1_500)).toBe(1);
    expect(throttle.take('f', 1_600)).toBe(3);
  });

  it('a flood of keys past maxKeys, each within its period, writes one line per period, not one per key', () => {
    const throttle = new LogThrottle(10_000, 100);
    let lines = 0;
    // 100,000 keys in one second: a host with a /64 has a fresh address for each connection.
    for (let n = 0; n < 100_000; n += 1) if (throttle.take(`key-${n}`, n / 100) !== null) lines += 1;
    expect(lines).toBe(101);
  });

  it('forgets in the order of the last lines: a key renewed late is kept when older ones go', () => {
    const throttle = new LogThrottle(1_000, 2);
    expect(throttle.take('a', 0)).toBe(0);
    expect(throttle.take('b', 100)).toBe(0);
    // 'a' starts a new period at 1,050; 'b' (100) is now the oldest.
    expect(throttle.take('a', 1_050)).toBe(0);
    expect(throttle.take('c', 1_200)).toBe(0);
    expect(throttle.take('a', 1_300)).toBeNull();
  });

  it('forgets nothing while there is room: a key past its period still tells what was left out', () => {
    const throttle = new LogThrottle(1_000, 10);
    expect(throttle.take('a', 0)).toBe(0);
    expect(throttle.take('a', 10)).toBeNull();
    expect(throttle.take('b', 1_500)).toBe(0);
    expect(throttle.take('a', 1_600)).toBe(1);
  });

  it('full, a known key past its period forgets no other key, and starts its own period again', () => {
    const throttle = new LogThrottle(1_000, 2);
    expect(throttle.take('a', 0)).toBe(0);
    expect(throttle.take('b', 100)).toBe(0);
    expect(throttle.take('b', 200)).toBeNull();
    expect(throttle.take('a', 1_200)).toBe(0);
    expect(throttle.take('a', 1_300)).toBeNull();
    expect(throttle.take('b', 1_300)).toBe(1);
  });

  it('full, forgets only keys whose period is over, not one whose period ends at that moment', () => {
    const throttle = new LogThrottle(1_000, 1);
    expect(throttle.take('a', 0)).toBe(0);
    expect(throttle.take('a', 10)).toBeNull();
    expect(throttle.take('b', 999)).toBe(0);
    // 'a' (at 0) is not forgotten at 1,000: 'b' shares the overflow's line again, within its period.
    expect(throttle.take('b', 1_000)).toBeNull();
    expect(throttle.take('a', 1_000)).toBe(1);
  });
});
