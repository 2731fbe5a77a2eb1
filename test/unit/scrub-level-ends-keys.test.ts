import { describe, expect, it } from 'vitest';
import { LevelEnds } from '../../src/upstream/level-ends.js';

/**
 * The memo of level ends hands a level's end only to a reading of that place as the same marker
 * through the same URL encodings: what follows a marker is another escape after "%" (`5C`), a
 * backslash (`u005c`) or "&" (`amp;`), and an HTML reference's "#" or ";" may be URL-encoded as
 * deep as the reading went (`#45%253B` reads "-" two encodings in, `#45` and text after it at
 * none). An end handed to another reading makes the reading of escaped joiners read what is not
 * there, a joiner where none stands or none where one does, and the piece search then joins or
 * cuts a secret's pieces wrongly. No text was found where the scrubber's reading differs with the
 * marker or the encodings unchecked (700,000 generated, runs such as `%5C\u0026amp%3B...` among
 * them), so the memo's keys are held here, at the memo itself.
 */
const BACKSLASH = 0x5c;
const AMPERSAND = 0x26;
const DASH = 0x2d;
const LESS_THAN = 0x3c;

function memo(): LevelEnds {
  const ends = new LevelEnds(64);
  ends.remember(10, BACKSLASH, 1, 40, DASH);
  return ends;
}

describe('the memo of level ends', () => {
  it('gives a level held its end and what it read as, to the same marker through the same encodings', () => {
    const out = new Int32Array(1);
    expect(memo().endOf(10, BACKSLASH, 1, out)).toBe(40);
    expect(out[0]).toBe(DASH);
  });

  it('gives nothing to a reading of that place as another marker', () => {
    const out = new Int32Array(1);
    expect(memo().endOf(10, AMPERSAND, 1, out)).toBe(-1);
    expect(out[0]).toBe(0);
  });

  it('gives nothing to a reading of that place through other URL encodings', () => {
    const out = new Int32Array(1);
    expect(memo().endOf(10, BACKSLASH, 0, out)).toBe(-1);
    expect(memo().endOf(10, BACKSLASH, 2, out)).toBe(-1);
    expect(out[0]).toBe(0);
  });

  it('gives nothing where no level starts, nor before anything is held (guards)', () => {
    const out = new Int32Array(1);
    expect(memo().endOf(11, BACKSLASH, 1, out)).toBe(-1);
    expect(new LevelEnds(64).endOf(10, BACKSLASH, 1, out)).toBe(-1);
  });

  it('holds the last reading of a place read again as another marker', () => {
    const ends = memo();
    ends.remember(10, AMPERSAND, 0, 30, LESS_THAN);
    const out = new Int32Array(1);
    expect(ends.endOf(10, AMPERSAND, 0, out)).toBe(30);
    expect(out[0]).toBe(LESS_THAN);
    expect(ends.endOf(10, BACKSLASH, 1, out)).toBe(-1);
  });
});
