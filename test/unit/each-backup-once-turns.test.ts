import { describe, expect, it } from 'vitest';
import { ROWS_PER_TURN } from '../../src/domain/turns.js';
import type { Backup } from '../../src/domain/types.js';
import { accountBackupsNewestFirst, eachBackupOnce } from '../../src/gateway/each-backup-once.js';

/**
 * How `accountBackupsNewestFirst` puts a long account's lists together, counted where it reads:
 * each row's instance is read once as it is added (the first pass), and once more as it is asked
 * whether a copy names its instance (the second pass, only where some copy names another instance);
 * a key is made (its `keyExtra` read) only for a row of such an instance. What the count of
 * instance reads stood at each time other work got a turn shows each stretch done in one go.
 */
let instanceReads = 0;
let keysMade = 0;
class WatchedBackup {
  readonly providerId = 'zomro-nl';
  readonly createdAt: Date;
  readonly #instance: string;

  constructor(readonly nativeId: string, instance: string, index: number) {
    this.#instance = instance;
    this.createdAt = new Date(Date.UTC(2025, 0, 1) - index * 1000);
  }

  get name(): string {
    return this.nativeId;
  }

  get instanceNativeId(): string {
    instanceReads += 1;
    return this.#instance;
  }

  get keyExtra(): string[] {
    keysMade += 1;
    return [];
  }
}
const watched = (nativeId: string, instance: string, index: number): Backup => new WatchedBackup(nativeId, instance, index) as unknown as Backup;

/** The instance reads done between turns while `work` ran (stretches of none left out), and its answer. */
async function stretches<T>(work: () => Promise<T>): Promise<{ answer: T; done: number[] }> {
  const readsAtTurns: number[] = [];
  let watching = true;
  const watch = () => {
    readsAtTurns.push(instanceReads);
    if (watching) setImmediate(watch);
  };
  instanceReads = 0;
  keysMade = 0;
  setImmediate(watch);
  const answer = await work();
  watching = false;
  const marks = [0, ...readsAtTurns, instanceReads];
  const done = marks.slice(1).map((reads, index) => reads - (marks[index] as number)).filter((reads) => reads > 0);
  return { answer, done };
}

const names = (backups: readonly Backup[]): string[] => backups.map((backup) => backup.name);

describe('accountBackupsNewestFirst on a long account, counted as it reads', () => {
  it('adds the rows of many short lists with a turn after every ROWS_PER_TURN rows across them, and makes no key where no copy names another instance', async () => {
    // 12 lists of 2,500: no list reaches ROWS_PER_TURN alone, the 30,000 rows together do.
    const lists = Array.from({ length: 12 }, (_, list) => ({
      instanceNativeId: `vm-${list}`,
      backups: Array.from({ length: ROWS_PER_TURN / 2 }, (_, index) => watched(`b${list}-${index}`, `vm-${list}`, list + 12 * index)),
    }));
    const { answer, done } = await stretches(() => accountBackupsNewestFirst(lists));
    expect(answer).toHaveLength(12 * (ROWS_PER_TURN / 2));
    expect(new Set(answer).size).toBe(answer.length);
    // Each row's instance read once, as it is added: ROWS_PER_TURN between turns, no second pass.
    expect(done).toEqual(Array.from({ length: 6 }, () => ROWS_PER_TURN));
    expect(keysMade).toBe(0);
  });

  it('asks each row of the second pass in slices of ROWS_PER_TURN, and keys only the rows of the instances a copy names', async () => {
    // vm-0's 5,000 rows, and vm-1's list: its own 10,000 and one copy of vm-0's first.
    const own0 = Array.from({ length: ROWS_PER_TURN }, (_, index) => watched(`a${index}`, 'vm-0', 2 * index));
    const own1 = Array.from({ length: 2 * ROWS_PER_TURN }, (_, index) => watched(`b${index}`, 'vm-1', 2 * index + 1));
    const lists = [
      { instanceNativeId: 'vm-0', backups: own0 },
      { instanceNativeId: 'vm-1', backups: [...own1, own0[0] as Backup] },
    ];
    const rows = 3 * ROWS_PER_TURN + 1;
    const expected = names(eachBackupOnce(lists));
    const { answer, done } = await stretches(() => accountBackupsNewestFirst(lists));
    expect(names(answer).sort()).toEqual([...expected].sort());
    expect(answer).toHaveLength(rows - 1);
    // Added (one read a row), then asked (one more a row): 2 reads a row, plus one for each key made.
    expect(keysMade).toBe(ROWS_PER_TURN + 1);
    expect(done.reduce((sum, reads) => sum + reads, 0)).toBe(2 * rows + ROWS_PER_TURN + 1);
    // A turn after every ROWS_PER_TURN rows of each pass: no stretch past three slices' reads, few turns.
    expect(Math.max(...done)).toBeLessThanOrEqual(3 * ROWS_PER_TURN);
    expect(done.length).toBeLessThanOrEqual(8);
    expect(done.length).toBeGreaterThanOrEqual(6);
  });
});
