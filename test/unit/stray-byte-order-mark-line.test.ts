import { describe, expect, it } from 'vitest';
import { strayByteOrderMarkLine } from '../../src/config/stray-byte-order-mark.js';

/**
 * The line counted for a byte-order mark inside a config file, where the file's first line is one
 * character long (a lone `#`): its line end is the file's second character, which the count must
 * pass over like any other (a count stopping at index 1 named line 2 for a mark on line 3).
 */
describe('strayByteOrderMarkLine', () => {
  it('counts past a line end at the second character', () => {
    expect(strayByteOrderMarkLine('#\nallowAnonymous: true\n\ufeffclients: []\n')).toBe(3);
  });

  it('names the second line where the first line end is the mark\'s own', () => {
    expect(strayByteOrderMarkLine('#\n\ufeffclients: []\n')).toBe(2);
  });

  it('is null with no mark after a line end, one at the very start or inside a line (guard)', () => {
    expect(strayByteOrderMarkLine('\ufeffclients: []\nkey: a\ufeffb\n')).toBeNull();
  });
});
