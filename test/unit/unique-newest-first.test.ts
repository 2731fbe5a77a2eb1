import { describe, expect, it } from 'vitest';
import { sortInTurns } from '../../src/domain/sort-in-turns.js';
import { ROWS_PER_TURN } from '../../src/domain/turns.js';
import type { Backup } from '../../src/domain/types.js';
import { newestFirst } from '../../src/gateway/backup-order.js';
import { accountBackupsNewestFirst, eachBackupOnce } from '../../src/gateway/each-backup-once.js';
import { firstOfEachId } from '../../src/gateway/first-of-each-id.js';
import { backupListKey } from '../../src/gateway/ids.js';
import { uniqueNewestFirst } from '../../src/gateway/unique-newest-first.js';

/**
 * The work done is counted where it happens: each read of a backup's id or
 * date (making its key, comparing it) adds one. What the count stood at each
 * time other work got a turn shows how much was done in one go.
 */
let fieldReads = 0;
/** A backup whose id and date count their reads (getters on the class: 300,000 of them stay cheap). */
class CountedBackup implements Backup {
  readonly providerId = 'zomro-nl';
  readonly keyExtra: string[] = [];
  readonly status = 'AVAILABLE';
  readonly origin = null;
  readonly mode = null;
  readonly sizeBytes = null;
  readonly protected = false;
  readonly diskId = null;
  readonly minDiskBytes = null;
  readonly minRamBytes = null;
  readonly osDistro = null;
  readonly osVersion = null;
  readonly region = null;
  readonly note = null;
  readonly definitionName = null;
  readonly raw = {};
  readonly #nativeId: string;
  readonly #createdAt: Date | null;

  constructor(nativeId: string, createdAt: Date | null, readonly instanceNativeId: string) {
    this.#nativeId = nativeId;
    this.#createdAt = createdAt;
  }

  get name(): string {
    return this.#nativeId;
  }

  get nativeId(): string {
    fieldReads += 1;
    return this.#nativeId;
  }

  get createdAt(): Date | null {
    fieldReads += 1;
    return this.#createdAt;
  }
}
const countedBackup = (nativeId: string, createdAt: Date | null, instanceNativeId = 'vm-1'): Backup => new CountedBackup(nativeId, createdAt, instanceNativeId);

/** An instance's list as a provider may send it: out of order, with same-second ties, dateless rows and repeats. */
function providerList(length: number): Backup[] {
  const list: Backup[] = [];
  for (let index = 0; index < length; index++) {
    const scrambled = (index * 7919) % length;
    const createdAt = index % 97 === 0 ? null : new Date(Date.UTC(2024, 0, 1) + (scrambled % (length / 3)) * 1000);
    // Every 50th row repeats the row 10 before it (a record that moved from one page to the next).
    const id = index % 50 === 49 ? `b${index - 10}` : `b${index}`;
    list.push(countedBackup(id, createdAt));
  }
  return list;
}

/** The most field reads done between two turns of other work while `work` ran, and its answer. */
async function longestStretch<T>(work: () => Promise<T>): Promise<{ answer: T; mostReadsInOneGo: number; turnsTaken: number }> {
  const readsAtTurns: number[] = [];
  let watching = true;
  const watch = () => {
    readsAtTurns.push(fieldReads);
    if (watching) setImmediate(watch);
  };
  fieldReads = 0;
  setImmediate(watch);
  const answer = await work();
  watching = false;
  const marks = [0, ...readsAtTurns.filter((reads) => reads < fieldReads), fieldReads];
  const stretches = marks.slice(1).map((reads, index) => reads - (marks[index] as number));
  return { answer, mostReadsInOneGo: Math.max(...stretches), turnsTaken: marks.length - 2 };
}

const ids = (list: Backup[] | Error | undefined): string[] => (Array.isArray(list) ? list.map((backup) => backup.nativeId) : []);

describe('uniqueNewestFirst', () => {
  it('gives other work a turn while it readies a list of 300,000 backups, and answers what the one-go order does', async () => {
    const list = providerList(300_000);
    const expected = ids(newestFirst(firstOfEachId(list, backupListKey)));
    const { answer, mostReadsInOneGo, turnsTaken } = await longestStretch(() => uniqueNewestFirst([list]));
    expect(ids(answer[0])).toEqual(expected);
    // Sorting a slice of ROWS_PER_TURN rows is some 12 comparisons a row, two reads each: 40 reads
    // a row leaves room. In one go it was ~11,000,000 (the de-duplication's two passes, 600,000,
    // then the whole sort).
    expect(mostReadsInOneGo).toBeLessThanOrEqual(40 * ROWS_PER_TURN);
    expect(turnsTaken).toBeGreaterThanOrEqual(300_000 / ROWS_PER_TURN);
  }, 120_000);

  it('readies a list the size of a dashboard\'s at once, without giving up the event loop', async () => {
    const list = providerList(ROWS_PER_TURN);
    const expected = ids(newestFirst(firstOfEachId(list, backupListKey)));
    const { answer, turnsTaken } = await longestStretch(() => uniqueNewestFirst([list]));
    expect(ids(answer[0])).toEqual(expected);
    expect(turnsTaken).toBe(0);
  });

  it('hands back a long list already in order and without repeats as it is, and a failed list as its failure', async () => {
    const sorted = Array.from({ length: 3 * ROWS_PER_TURN }, (_, index) => countedBackup(`b${index}`, new Date(Date.UTC(2025, 0, 1) - index * 1000)));
    const failure = new Error('the provider did not answer');
    const [same, failed] = await uniqueNewestFirst([sorted, failure]);
    expect(same).toBe(sorted);
    expect(failed).toBe(failure);
  });
});

describe('accountBackupsNewestFirst', () => {
  it('gives other work a turn while it orders an account of 300,000 backups over two VMs (each list in order, the two together not)', async () => {
    const vmList = (vm: string, offset: number) =>
      Array.from({ length: 150_000 }, (_, index) => countedBackup(`${vm}-b${index}`, new Date(Date.UTC(2025, 0, 1) - (2 * index + offset) * 1000), vm));
    const lists = [
      { instanceNativeId: 'vm-1', backups: vmList('vm-1', 0) },
      { instanceNativeId: 'vm-2', backups: vmList('vm-2', 1) },
    ];
    const expected = ids(newestFirst(eachBackupOnce(lists)));
    const { answer, mostReadsInOneGo } = await longestStretch(() => accountBackupsNewestFirst(lists));
    expect(ids(answer)).toEqual(expected);
    expect(expected.slice(0, 3)).toEqual(['vm-1-b0', 'vm-2-b0', 'vm-1-b1']);
    // As above; sorted in one go it was millions.
    expect(mostReadsInOneGo).toBeLessThanOrEqual(40 * ROWS_PER_TURN);
  }, 120_000);

  it('gives other work a turn while it keeps each backup once of an account whose provider lists every VM\'s backups for each of 60 VMs', async () => {
    // Zomro ignoring the per-VM filter: each of the 60 lists is the account's 5,000 backups, each naming its own VM.
    const account = Array.from({ length: ROWS_PER_TURN }, (_, index) => countedBackup(`b${index}`, new Date(Date.UTC(2025, 0, 1) - index * 1000), `vm-${index % 60}`));
    const lists = Array.from({ length: 60 }, (_, vm) => ({ instanceNativeId: `vm-${vm}`, backups: account }));
    const expected = ids(newestFirst(eachBackupOnce(lists)));
    const { answer, mostReadsInOneGo, turnsTaken } = await longestStretch(() => accountBackupsNewestFirst(lists));
    expect(ids(answer)).toEqual(expected);
    expect(expected).toHaveLength(ROWS_PER_TURN);
    // A key a row, a slice of ROWS_PER_TURN rows between turns (the sort of the 5,000 kept is one
    // slice: some 24 reads a row). In one go the keys were 300,000 reads.
    expect(mostReadsInOneGo).toBeLessThanOrEqual(40 * ROWS_PER_TURN);
    expect(turnsTaken).toBeGreaterThanOrEqual((60 * ROWS_PER_TURN) / ROWS_PER_TURN);
  }, 120_000);

  it('puts an account of a dashboard\'s size together without giving up the event loop', async () => {
    const lists = [
      { instanceNativeId: 'vm-1', backups: providerList(ROWS_PER_TURN / 2).filter((_, index) => index % 50 !== 49) },
      { instanceNativeId: 'vm-2', backups: [countedBackup('b0', new Date(Date.UTC(2025, 0, 1)), 'vm-1'), countedBackup('x', null, 'vm-2')] },
    ];
    const expected = ids(newestFirst(eachBackupOnce(lists)));
    const { answer, turnsTaken } = await longestStretch(() => accountBackupsNewestFirst(lists));
    expect(ids(answer)).toEqual(expected);
    expect(turnsTaken).toBe(0);
  });
});

describe('sortInTurns', () => {
  it('sorts as Array.prototype.sort does (stable: ties keep their order) at every length around the slice size', async () => {
    const byValue = (a: { value: number }, b: { value: number }) => a.value - b.value;
    for (const length of [0, 1, ROWS_PER_TURN, ROWS_PER_TURN + 1, 2 * ROWS_PER_TURN, 3 * ROWS_PER_TURN + 7, 9 * ROWS_PER_TURN - 1]) {
      const items = Array.from({ length }, (_, index) => ({ index, value: (index * 7919) % 1000 }));
      const frozen = Object.freeze([...items]);
      const sorted = await sortInTurns(frozen, byValue);
      expect(sorted.map((item) => item.index)).toEqual([...items].sort(byValue).map((item) => item.index));
    }
  });
});
