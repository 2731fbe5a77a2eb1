import { describe, expect, it } from 'vitest';
import { CACHED_ENTRY_BYTES, cachedListBytes } from '../../src/gateway/cached-list-bytes.js';

/**
 * What the read cache's byte bound (`limits.readCacheMaxBytes`) counts for one cached list: the
 * entry, then each record at the larger of its kind's measured cost and what its own text holds
 * (a slot of 8 bytes per value, and a string's characters: one byte each, or two in a string with
 * any character past Latin-1). Counted low, a provider whose records carry long text fills the
 * process past its bound; counted high, the cache keeps fewer lists than it has room for and asks
 * the providers again.
 */
const SLOT = 8;

describe('cachedListBytes: the heap one cached list is counted to hold', () => {
  it('counts an empty list as its entry alone', () => {
    expect(CACHED_ENTRY_BYTES).toBe(256);
    expect(cachedListBytes('backups', [])).toBe(CACHED_ENTRY_BYTES);
  });

  it('counts each small record at its kind\'s measured cost, and a kind not measured at the largest', () => {
    const small = { id: 'a', size: 1 };
    expect(cachedListBytes('backups', [small])).toBe(CACHED_ENTRY_BYTES + 2_300);
    expect(cachedListBytes('definitions', [small, small])).toBe(CACHED_ENTRY_BYTES + 2 * 1_450);
    expect(cachedListBytes('instances', [small, small, small])).toBe(CACHED_ENTRY_BYTES + 3 * 950);
    expect(cachedListBytes('schedules', [small])).toBe(CACHED_ENTRY_BYTES + 900);
    expect(cachedListBytes('snapshots', [small, small])).toBe(CACHED_ENTRY_BYTES + 2 * 2_300);
  });

  it('counts a record whose text holds more than its kind\'s cost by that text: a slot a value, a character a byte', () => {
    const note = 'n'.repeat(10_000);
    // The record, its note: two slots and the note's characters.
    expect(cachedListBytes('instances', [{ note }])).toBe(CACHED_ENTRY_BYTES + 2 * SLOT + 10_000);
    // A string held twice counts twice; nested objects and arrays count a slot each, and each item.
    const record = { note, raw: { note, tags: [note, 'ab'] } };
    expect(cachedListBytes('backups', [record])).toBe(CACHED_ENTRY_BYTES + 7 * SLOT + 3 * 10_000 + 2);
    // Each record at its own larger count: one long, one short.
    expect(cachedListBytes('schedules', [{ note }, { id: 'x' }])).toBe(CACHED_ENTRY_BYTES + 2 * SLOT + 10_000 + 900);
  });

  it('counts text with a character past Latin-1 at two bytes a character, as V8 holds it, and Latin-1 at one', () => {
    // Cyrillic, CJK and an emoji (two UTF-16 units): V8 holds each whole string at two bytes a unit.
    for (const letter of ['ж', '備', '💾']) {
      const note = letter.repeat(5_000 / letter.length);
      expect(cachedListBytes('instances', [{ note }])).toBe(CACHED_ENTRY_BYTES + 2 * SLOT + 2 * 5_000);
    }
    // One such character, last, makes the whole string two bytes a character.
    const mostlyAscii = `${'a'.repeat(4_999)}ж`;
    expect(cachedListBytes('instances', [{ note: mostlyAscii }])).toBe(CACHED_ENTRY_BYTES + 2 * SLOT + 2 * 5_000);
    // Latin-1 past ASCII (é is 0xE9, ÿ 0xFF) is held at one byte a character.
    const latin = `${'é'.repeat(4_999)}ÿ`;
    expect(cachedListBytes('instances', [{ note: latin }])).toBe(CACHED_ENTRY_BYTES + 2 * SLOT + 5_000);
    // Each string by its own: a two-byte note beside a Latin-1 name.
    expect(cachedListBytes('backups', [{ note: 'ж'.repeat(3_000), name: 'n'.repeat(3_000) }])).toBe(CACHED_ENTRY_BYTES + 3 * SLOT + 6_000 + 3_000);
  });

  it('counts numbers, booleans, nulls and dates as a slot each, and never their fields', () => {
    const values = Array.from({ length: 200 }, () => 1);
    const many = { a: values, b: null, c: true, d: undefined, when: new Date(0) };
    // The record, the array and its 200 items, then four more fields.
    expect(cachedListBytes('schedules', [many, many, many, many, many])).toBe(CACHED_ENTRY_BYTES + 5 * (SLOT * (1 + 1 + 200 + 4)));
  });

  it('counts a value that is no list (an answer cached whole) as one record of its kind', () => {
    expect(cachedListBytes('instances', { id: 'a' })).toBe(CACHED_ENTRY_BYTES + 950);
    const long = 'x'.repeat(5_000);
    expect(cachedListBytes('instances', { long })).toBe(CACHED_ENTRY_BYTES + 2 * SLOT + 5_000);
    expect(cachedListBytes('backups', long)).toBe(CACHED_ENTRY_BYTES + SLOT + 5_000);
  });
});
