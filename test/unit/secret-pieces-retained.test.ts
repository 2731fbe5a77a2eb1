import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { SecretSet } from '../../src/upstream/secrets.js';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
const heapAfterCollecting = (): number => {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
};

describe('SecretPieceSearch: what it remembers holds only the text it was asked about', () => {
  it('does not keep the whole answer alive through the short last piece of one scrubbed in turns', async () => {
    const secrets = new SecretSet();
    secrets.add('Dnb7Kq8Rw2Zx4LmT');
    // An answer of 4 MiB scrubbed in pieces of 1 MiB: its last piece (a slice of it) is some
    // 2,000 characters, which the piece search remembers. Kept as a slice, it kept the 4 MiB
    // answer with it: 24 answers, 96 MiB held for 48,000 characters counted.
    const answer = (index: number): string => {
      const entry = `"vm-${index}",`;
      return `[${entry.repeat(Math.ceil((4 * 1024 * 1024 + 2_000) / entry.length))}"end"]`;
    };
    const before = heapAfterCollecting();
    for (let index = 0; index < 24; index++) await secrets.scrubAnswer(answer(index), { charsPerTurn: 1024 * 1024 });
    const grown = heapAfterCollecting() - before;
    expect(grown, `${Math.round(grown / 1024 / 1024)} MiB held after 24 answers`).toBeLessThan(16 * 1024 * 1024);
    // Bounded in work (24 scrubs of 4 MiB, 4 full collections of the shared unit-test process), not
    // in time: 1.3 s alone, it passed 30 s in CI under a load of 15-20 on two cores. 120 s, as below.
  }, 120_000);

  it('does not keep an answer alive through the last piece of one asked about again', async () => {
    const secrets = new SecretSet();
    secrets.add('Dnb7Kq8Rw2Zx4LmT');
    // Each answer three times, a new string each time, as a poll of an unchanged list comes back:
    // seen, then remembered (a copy of its own), then found again. Found again, the remembered
    // text was put back under the key just asked with, the slice of that 4 MiB answer: 8 of
    // them held 32 MiB until each was asked about once more.
    const answer = (index: number): string => {
      const entry = `"vm-${index}",`;
      return `[${entry.repeat(Math.ceil((4 * 1024 * 1024 + 2_000) / entry.length))}"end"]`;
    };
    const before = heapAfterCollecting();
    for (let index = 0; index < 8; index++) {
      for (let asked = 0; asked < 3; asked++) await secrets.scrubAnswer(answer(index), { charsPerTurn: 1024 * 1024 });
    }
    const grown = heapAfterCollecting() - before;
    expect(grown, `${(grown / 1024 / 1024).toFixed(1)} MiB held after 8 answers asked about three times`).toBeLessThan(16 * 1024 * 1024);
  }, 120_000);
});
