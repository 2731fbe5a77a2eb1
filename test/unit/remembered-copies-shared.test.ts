import { describe, expect, it } from 'vitest';
import { RememberedScrubs } from '../../src/upstream/remembered-scrubs.js';
import { SecretPiecesByJoiners } from '../../src/upstream/secret-piece-groups.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * A text a Search scrubs a second time is remembered by its piece memory and by its whole-scrub
 * memory at once; the second holds the first's copy rather than one of its own (up to 1 MB an
 * account held twice). String identity is not observable in JS, so these ask who made the copy.
 */

const KEY = 'Dnb7Kq8Rw2Zx4LmT';
const text = JSON.stringify(Array.from({ length: 40 }, (_, index) => ({ hostname: `vm-${index}.example.com`, note: 'plain' })));

describe('the whole-scrub memory holds the piece memory copy of a text', () => {
  it('RememberedScrubs takes its copy from the copyOf it is given, once, at the second sighting', () => {
    const asked: string[] = [];
    const memory = new RememberedScrubs((seen) => {
      asked.push(seen);
      return ` ${seen}`.slice(1);
    });
    for (let read = 0; read < 4; read++) expect(memory.scrub(text, (seen) => seen)).toBe(text);
    expect(asked).toEqual([text]);
  });

  it('the piece memory answers the copy it holds of a text searched twice, and none before', () => {
    const pieces = new SecretPiecesByJoiners([[KEY]]);
    expect(pieces.heldCopy(text)).toBeUndefined();
    pieces.find(text);
    expect(pieces.heldCopy(text)).toBeUndefined();
    pieces.find(text);
    expect(pieces.heldCopy(text)).toBe(text);
  });

  it('a SecretSet scrubs a text remembered by both memories alike every time (guard)', () => {
    const secrets = new SecretSet();
    secrets.add(KEY);
    const withKey = `${text} ${KEY.slice(1, 11)} ${text}`;
    const first = [secrets.scrub(text), secrets.scrub(withKey)];
    for (let read = 0; read < 4; read++) expect([secrets.scrub(text), secrets.scrub(withKey)]).toEqual(first);
    expect(first[1]).not.toContain(KEY.slice(1, 11));
  });
});
