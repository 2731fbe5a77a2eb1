import { describe, expect, it } from 'vitest';
import type { Instance } from '../../src/domain/types.js';
import { LISTED_IDS_TTL_MS, RecentlyListedIds } from '../../src/gateway/recently-listed-ids.js';

const vms = (...nativeIds: string[]): Instance[] => nativeIds.map((nativeId) => ({ nativeId }) as Instance);

describe('RecentlyListedIds', () => {
  it('knows an id listed as written, not another spelling of it, nor another account', () => {
    const memory = new RecentlyListedIds(60_000, () => 0);
    memory.listed('danube-a', vms('Web03.Example.com', 'web04.example.com'));
    expect(memory.has('danube-a', 'Web03.Example.com')).toBe(true);
    expect(memory.has('danube-a', 'web03.example.com')).toBe(false);
    expect(memory.has('danube-b', 'web04.example.com')).toBe(false);
  });

  it('forgets an account its TTL after the read, and each read replaces what was known', () => {
    let now = 1_000;
    const memory = new RecentlyListedIds(60_000, () => now);
    memory.listed('danube', vms('old.example.com'));
    now += 59_999;
    expect(memory.has('danube', 'old.example.com')).toBe(true);
    memory.listed('danube', vms('New.example.com'));
    expect(memory.has('danube', 'old.example.com')).toBe(false);
    now += 59_999;
    expect(memory.has('danube', 'New.example.com')).toBe(true);
    now += 1;
    expect(memory.has('danube', 'New.example.com')).toBe(false);
  });

  it('keeps what it knows a few minutes by default', () => {
    expect(LISTED_IDS_TTL_MS).toBeGreaterThanOrEqual(60_000);
    expect(LISTED_IDS_TTL_MS).toBeLessThanOrEqual(10 * 60_000);
  });
});
