import { afterEach, describe, expect, it, vi } from 'vitest';
import { readEscapedJoiners } from '../../src/upstream/escaped-joiners.js';
import { LevelEnds } from '../../src/upstream/level-ends.js';
import { SecretSet } from '../../src/upstream/secrets.js';

/**
 * The memo of level ends (level-ends.ts) is what keeps a hostile run of levels that each hold a
 * marker (`\u005c\u005c...`) linear: without it each marker inside the run starts a reading to the
 * run's end, the square of its length, and a 1 MB answer of them holds the scrubber for minutes.
 * Counted, not timed: each level read asks the memo first (LevelEnds.endOf), so the asks are the
 * levels read.
 */
const LEVEL = '\\u005c';

const levelsReadFor = (text: string): number => {
  const asks = vi.spyOn(LevelEnds.prototype, 'endOf');
  readEscapedJoiners(text);
  const count = asks.mock.calls.length;
  asks.mockRestore();
  return count;
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('reading a run of levels that each hold a marker', () => {
  it.each([
    ['ending in no escape', (count: number) => `a${LEVEL.repeat(count)}b`],
    ['ending in a joiner', (count: number) => `a${LEVEL.repeat(count)}\\u002db`],
    ['through URL encodings', (count: number) => `a%2526${'amp%253B'.repeat(count)}lt%253Bb`],
  ])('reads each level a bounded number of times, %s', (_shape, text) => {
    const short = levelsReadFor(text(200));
    const long = levelsReadFor(text(800));
    expect(short).toBeGreaterThan(0);
    // Four times the levels: four times the reads (and a little), never sixteen.
    expect(long).toBeLessThan(short * 5);
    expect(long).toBeLessThan(800 * 12);
  });
});

describe('a large answer cut beside a run of levels that each hold a marker', () => {
  // Where a turn may cut (mayStandInJoinerRun) the escape past a separator is read with no memo: a deep reading there threw instead.
  it.each([
    ['ending in a letter', `${LEVEL.repeat(5)}\\u0041`],
    ['ending in a joiner', `${LEVEL.repeat(5)}\\u002d`],
  ])('scrubs it a piece per turn as whole, %s', async (_shape, between) => {
    const secrets = new SecretSet();
    secrets.add('Dnb7Kq8Rw2Zx4LmTpQ');
    const rows = Array.from({ length: 300 }, (_, index) => `{"id":${index},"name":"vm-${index}"}`);
    const text = `[${rows.join(`,${between}`)}]`;
    expect(await secrets.scrubAnswer(text, { charsPerTurn: 512 })).toBe(secrets.scrub(text));
  });
});
