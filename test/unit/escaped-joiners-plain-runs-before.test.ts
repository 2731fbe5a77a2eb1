import { describe, expect, it } from 'vitest';
import { readEscapedJoiners } from '../../src/upstream/escaped-joiners.js';

// Joiners as they stand before a joiner's escape (`-\u002d`) are read with it only past a letter or digit, as it stands or escaped
// just before them (plainJoinersBefore, alphanumericJustBefore). Mutation testing (2026-12-07) left alive every way of reading such a
// run past other punctuation: a run starting past the text's first place, or any escape of a letter read earlier, taken for a letter.
describe('readEscapedJoiners: joiners as they stand before an escape, past no letter or digit', () => {
  it('reads no such run after punctuation that is no joiner', () => {
    expect(readEscapedJoiners('"-\\u002dRw2Zx4')).toBeNull();
    expect(readEscapedJoiners('x "-\\u002dRw2Zx4')).toBeNull();
  });

  it('reads no such run after punctuation when an escape of a letter was read further back', () => {
    // The escape of "A" ends two or more places before the run: it stands before no joiner of it.
    expect(readEscapedJoiners('%41"-\\u002dRw2Zx4')?.text).toBe('A"-\\u002dRw2Zx4');
    expect(readEscapedJoiners('%41 "-\\u002dRw2Zx4')?.text).toBe('A "-\\u002dRw2Zx4');
  });

  it('reads the run where the escape of a letter ends just before it, or a letter stands there (a guard)', () => {
    expect(readEscapedJoiners('%41-\\u002dRw2Zx4')?.text).toBe('A-Rw2Zx4');
    expect(readEscapedJoiners('Kq8-\\u002dRw2Zx4')?.text).toBe('Kq8-Rw2Zx4');
    expect(readEscapedJoiners('%41"%42-\\u002dRw2Zx4')?.text).toBe('A"B-Rw2Zx4');
  });
});
