/**
 * The parse step of `npm run bench:large-answer` alone: for answers of 8, 25 and 32 MiB
 * (`LARGE_PARSE_MIB`), rows as a provider sends them and a hostile `[{},{},...]` of just under
 * MAX_JSON_CONTAINERS (whitespace between its elements up to the size), the longest turn of the
 * event loop and the whole time, read by one JSON.parse (as before) and by parseJsonInTurns.
 */
import { parseJsonInTurns } from '../src/upstream/json-in-turns.js';
import { MAX_JSON_CONTAINERS } from '../src/upstream/json-containers.js';
import { median, positiveCount } from './stats.js';

const MIB = 1024 * 1024;

/** Backup rows as OnApp lists them, `[{"backup":{...}},...]`, to `bytes` (ASCII: characters are bytes). */
function rowsOf(bytes: number): string {
  const rows: string[] = [];
  let length = 2;
  for (let id = 1; length < bytes; id++) {
    const row = `{"backup":{"id":${id},"built":true,"created_at":"2024-01-02T03:04:05Z","disk_id":5,"label":"nightly \\u00e9 ${id}"}}`;
    rows.push(row);
    length += row.length + 1;
  }
  return `[${rows.join(',')}]`;
}

/** As many `{}` as the container limit lets through, spaced out to `bytes`. */
function hostileOf(bytes: number): string {
  const objects = MAX_JSON_CONTAINERS - 1;
  const gap = ' '.repeat(Math.max(0, Math.floor((bytes - 2) / objects) - 3));
  return `[${Array.from({ length: objects }, () => '{}').join(`,${gap}`)}]`;
}

/** The longest gap between turns of the event loop, and the whole time, while `parse` runs. */
async function measured(parse: () => unknown): Promise<{ longestTurnMs: number; totalMs: number }> {
  let longestTurnMs = 0;
  let last = performance.now();
  let going = true;
  const tick = (): void => {
    const now = performance.now();
    longestTurnMs = Math.max(longestTurnMs, now - last);
    last = now;
    if (going) setImmediate(tick);
  };
  setImmediate(tick);
  const started = performance.now();
  await parse();
  const totalMs = performance.now() - started;
  going = false;
  longestTurnMs = Math.max(longestTurnMs, performance.now() - last);
  return { longestTurnMs, totalMs };
}

export async function printParseTurns(): Promise<void> {
  const sizes = (process.env.LARGE_PARSE_MIB ?? '8,25,32').split(',').map(Number);
  const runs = positiveCount('LARGE_PARSE_RUNS', 3);
  console.log(`the parse alone, median (max) of ${runs} runs, ms:`);
  console.log('| answer | JSON.parse: longest turn = total | in turns: longest turn | in turns: total |');
  console.log('|---|---|---|---|');
  for (const [shape, make] of [['rows', rowsOf], ['hostile {}', hostileOf]] as const) {
    for (const mib of sizes) {
      const text = make(mib * MIB);
      const whole: number[] = [];
      const turns: number[] = [];
      const totals: number[] = [];
      for (let run = 0; run < runs; run++) {
        whole.push((await measured(() => JSON.parse(text))).totalMs);
        const inTurns = await measured(() => parseJsonInTurns(text));
        turns.push(inTurns.longestTurnMs);
        totals.push(inTurns.totalMs);
      }
      const figure = (values: number[]): string => `${median(values).toFixed(0)} (${Math.max(...values).toFixed(0)})`;
      console.log(`| ${shape}, ${mib} MiB (${(text.length / 1e6).toFixed(1)} MB) | ${figure(whole)} | ${figure(turns)} | ${figure(totals)} |`);
    }
  }
}
