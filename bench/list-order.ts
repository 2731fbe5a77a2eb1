/**
 * `npm run bench:list-order`: what readying backup lists (de-duplication and
 * newest-first order, `uniqueNewestFirst`) costs, against the one-go form every
 * list got before (`oneGo` below, as src/gateway/loaders.ts had it).
 * - a dashboard's batch: LIST_INSTANCES (200) lists of 30 backups each, oldest
 *   first as Zomro lists them (so each is sorted), readied LIST_ROUNDS (200)
 *   times per round, the two forms alternating for LIST_RUNS (3) rounds: the
 *   median time per batch, and new/old;
 * - one list of 300,000 backups out of order with repeats: the whole time
 *   and the longest the event loop went without a turn, for each form.
 */
import { ROWS_PER_TURN, turnIfPast } from '../src/domain/turns.js';
import type { Backup } from '../src/domain/types.js';
import { newestFirst } from '../src/gateway/backup-order.js';
import { firstOfEachId } from '../src/gateway/first-of-each-id.js';
import { backupListKey } from '../src/gateway/ids.js';
import { uniqueNewestFirst } from '../src/gateway/unique-newest-first.js';
import { median, positiveCount } from './stats.js';

const instances = positiveCount('LIST_INSTANCES', 200);
const rounds = positiveCount('LIST_ROUNDS', 200);
const runs = positiveCount('LIST_RUNS', 3);

async function oneGo(lists: Array<Backup[] | Error>): Promise<Array<Backup[] | Error>> {
  const ordered: Array<Backup[] | Error> = [];
  for (const list of lists) {
    if (list instanceof Error) {
      ordered.push(list);
      continue;
    }
    const unique = firstOfEachId(list, backupListKey);
    await turnIfPast(list.length, ROWS_PER_TURN);
    ordered.push(newestFirst(unique));
  }
  return ordered;
}

const backup = (vm: string, id: string, seconds: number | null): Backup => ({
  providerId: 'bench',
  nativeId: id,
  instanceNativeId: vm,
  keyExtra: [],
  createdAt: seconds === null ? null : new Date(Date.UTC(2024, 0, 1) + seconds * 1000),
  name: id,
  status: 'AVAILABLE',
  origin: null,
  mode: null,
  sizeBytes: null,
  protected: false,
  diskId: null,
  minDiskBytes: null,
  minRamBytes: null,
  osDistro: null,
  osVersion: null,
  region: null,
  note: null,
  definitionName: null,
  raw: {},
});

const batch = Array.from({ length: instances }, (_, vm) => Array.from({ length: 30 }, (_, index) => backup(`vm${vm}`, `b${vm}-${index}`, index * 3600)));
const long = Array.from({ length: 300_000 }, (_, index) => backup('vm', index % 50 === 49 ? `b${index - 10}` : `b${index}`, index % 97 === 0 ? null : ((index * 7919) % 300_000) % 100_000));

/** The longest the event loop went without a turn while `work` ran. */
async function longestBlock(work: () => Promise<unknown>): Promise<number> {
  let longest = 0;
  let last = performance.now();
  let watching = true;
  const watch = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (watching) setImmediate(watch);
  };
  setImmediate(watch);
  await work();
  watching = false;
  return longest;
}

async function batchMs(ready: typeof oneGo): Promise<number> {
  const started = performance.now();
  for (let round = 0; round < rounds; round++) await ready(batch);
  return (performance.now() - started) / rounds;
}

console.log(`a dashboard's batch: ${instances} lists of 30, ${rounds} times a round, ${runs} rounds each, alternating`);
const before: number[] = [];
const after: number[] = [];
await batchMs(oneGo);
await batchMs(uniqueNewestFirst);
for (let run = 0; run < runs; run++) {
  before.push(await batchMs(oneGo));
  after.push(await batchMs(uniqueNewestFirst));
}
console.log(`one go ${median(before).toFixed(3)} ms a batch, in turns ${median(after).toFixed(3)} ms: ${(median(after) / median(before)).toFixed(2)}x`);

console.log(`one list of ${long.length} backups, out of order, a repeat in every 50`);
for (const [name, ready] of [['one go', oneGo], ['in turns', uniqueNewestFirst]] as const) {
  const started = performance.now();
  const block = await longestBlock(() => ready([long]));
  console.log(`${name}: ${(performance.now() - started).toFixed(0)} ms in all, longest block ${block.toFixed(0)} ms`);
}
