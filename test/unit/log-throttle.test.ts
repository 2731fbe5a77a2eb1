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

  it('remembers at most maxKeys: past it, keys whose period is over are forgotten, and lines still go out', () => {
    const throttle = new LogThrottle(1_000, 2);
    expect(throttle.take('a', 0)).toBe(0);
    expect(throttle.take('b', 500)).toBe(0);
    // Full, both within their period: the line is written, the key not remembered.
    expect(throttle.take('c', 600)).toBe(0);
    expect(throttle.take('c', 700)).toBe(0);
    expect(throttle.take('b', 700)).toBeNull();
    // 'a' is past its period at 1,200 and is forgotten to make room.
    expect(throttle.take('d', 1_200)).toBe(0);
    expect(throttle.take('d', 1_300)).toBeNull();
    expect(throttle.take('a', 1_300)).toBe(0);
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
    expect(throttle.take('b', 1_000)).toBe(0);
    expect(throttle.take('a', 1_000)).toBe(1);
  });
});
