import { describe, expect, it } from 'vitest';
import type { Instance } from '../../src/domain/types.js';
import { LISTED_IDS_TTL_MS, RecentlyListedIds, SEEN_BEYOND_LIST } from '../../src/gateway/recently-listed-ids.js';

const fold = (id: string): string => id.toLowerCase();
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

  it('takes an id seen by id as the spelling now, dropping another spelling of it, in that account alone', () => {
    const memory = new RecentlyListedIds(60_000, () => 0);
    memory.listed('danube-a', vms('web03.example.com', 'web04.example.com'));
    memory.listed('danube-b', vms('web03.example.com'));
    memory.seen('danube-a', 'Web03.Example.com', fold);
    expect(memory.has('danube-a', 'Web03.Example.com')).toBe(true);
    expect(memory.has('danube-a', 'web03.example.com')).toBe(false);
    expect(memory.has('danube-a', 'web04.example.com')).toBe(true);
    // Another account's answers never touch this one's ids, whatever hostname they name.
    expect(memory.has('danube-b', 'web03.example.com')).toBe(true);
    expect(memory.has('danube-b', 'Web03.Example.com')).toBe(false);
  });

  it('keeps an id seen no longer than the TTL of the set it went into, or of its own first answer', () => {
    let now = 0;
    const memory = new RecentlyListedIds(60_000, () => now);
    memory.listed('danube', vms('web04.example.com'));
    now += 50_000;
    memory.seen('danube', 'late.example.com', fold);
    now += 10_000;
    expect(memory.has('danube', 'late.example.com')).toBe(false);
    memory.seen('danube', 'alone.example.com', fold);
    now += 59_999;
    expect(memory.has('danube', 'alone.example.com')).toBe(true);
    now += 1;
    expect(memory.has('danube', 'alone.example.com')).toBe(false);
  });

  it('is not grown past the last list and SEEN_BEYOND_LIST ids by answers naming a new hostname each', () => {
    const memory = new RecentlyListedIds(60_000, () => 0);
    memory.listed('danube', vms('web01.example.com', 'web02.example.com'));
    for (let index = 0; index < SEEN_BEYOND_LIST * 3; index++) memory.seen('danube', `made-up-${index}.example.com`, fold);
    expect(memory.size('danube')).toBe(2 + SEEN_BEYOND_LIST);
    expect(memory.has('danube', 'web01.example.com')).toBe(true);
  });

  it('drops every other spelling of an id seen, a list naming two among them', () => {
    const memory = new RecentlyListedIds(60_000, () => 0);
    memory.listed('danube', vms('web03.example.com', 'WEB03.example.com', 'web04.example.com'));
    memory.seen('danube', 'Web03.Example.com', fold);
    expect(['web03.example.com', 'WEB03.example.com', 'Web03.Example.com'].map((id) => memory.has('danube', id))).toEqual([false, false, true]);
    memory.seen('danube', 'web03.example.com', fold);
    expect(['web03.example.com', 'Web03.Example.com', 'web04.example.com'].map((id) => memory.has('danube', id))).toEqual([true, false, true]);
    expect(memory.size('danube')).toBe(2);
  });

  it('hears nothing of an id the fold refuses', () => {
    const memory = new RecentlyListedIds(60_000, () => 0);
    memory.seen('danube', 'not a hostname', () => null);
    expect(memory.size('danube')).toBe(0);
  });

  it('keeps another account listed within its TTL however late the clock, when one account lists', () => {
    let now = 10 * 60_000;
    const memory = new RecentlyListedIds(60_000, () => now);
    memory.listed('danube-b', vms('web05.example.com'));
    now += 1_000;
    memory.listed('danube-a', vms('web06.example.com'));
    expect(memory.has('danube-b', 'web05.example.com')).toBe(true);
  });

  it('lets go of an account no longer read (removed by a reload) at its TTL, when another account lists', () => {
    let now = 0;
    const memory = new RecentlyListedIds(60_000, () => now);
    memory.listed('removed', vms('web07.example.com'));
    now += 60_000;
    memory.listed('danube', vms('web08.example.com'));
    // Nothing asks for the removed account again: only the map's size shows it is not kept.
    const accountsHeld = (memory as unknown as { byAccount: Map<string, unknown> }).byAccount;
    expect([...accountsHeld.keys()]).toEqual(['danube']);
  });

  it('drops an id seen again as listed once another spelling of it is seen, a list of the first named it', () => {
    const memory = new RecentlyListedIds(60_000, () => 0);
    memory.listed('danube', vms('web03.example.com'));
    memory.seen('danube', 'web03.example.com', fold);
    memory.seen('danube', 'WEB03.example.com', fold);
    expect(['web03.example.com', 'WEB03.example.com'].map((id) => memory.has('danube', id))).toEqual([false, true]);
  });

  it('drops an id seen again as listed once another spelling is seen, the set full to its bound', () => {
    const memory = new RecentlyListedIds(60_000, () => 0);
    memory.listed('danube', vms('web03.example.com'));
    for (let index = 0; index < SEEN_BEYOND_LIST; index++) memory.seen('danube', `made-up-${index}.example.com`, fold);
    expect(memory.size('danube')).toBe(1 + SEEN_BEYOND_LIST);
    memory.seen('danube', 'web03.example.com', fold);
    memory.seen('danube', 'Web03.example.com', fold);
    expect(['web03.example.com', 'Web03.example.com'].map((id) => memory.has('danube', id))).toEqual([false, true]);
    expect(memory.size('danube')).toBe(1 + SEEN_BEYOND_LIST);
  });
});
