/**
 * `npm run bench:scrub`: how long scrubbing one large provider answer holds
 * the event loop. A ZStack account's secrets (password, its SHA-512, a
 * session) over a 32 MiB answer (the upstream answer size limit) whose
 * records hold escapes (`\u00e9`, `%41`, `&amp;`: the scrubber reads it
 * through), `SCRUB_RUNS` (3) times: the scrub as one call (`scrub`, what
 * every answer got before), then as the gateway runs it (`scrubAnswer`, a
 * piece of CHARS_PER_TURN characters per turn), with the longest time the
 * loop went without a turn then (the whole one is a single block). `SCRUB_ESCAPES=0` leaves the escapes out.
 */
import { CHARS_PER_TURN } from '../src/domain/turns.js';
import { SecretSet, sha512Hex } from '../src/upstream/secrets.js';
import { positiveCount } from './stats.js';

const runs = positiveCount('SCRUB_RUNS', 3);
const escapes = process.env.SCRUB_ESCAPES !== '0';
const answerChars = 32 * 1024 * 1024;

const secrets = new SecretSet();
secrets.add('zstack-Pass-2024');
secrets.add(sha512Hex('zstack-Pass-2024'));
secrets.addRuntime('5a1b2c3d4e5f60718293a4b5c6d7e8f9');

const record = (index: number) =>
  `{"uuid":"${(index * 7919).toString(16).padStart(32, '0')}","name":"backup-${index}","description":"${escapes ? 'caf\\u00e9 %41 &amp; co' : 'plain words here'}","createDate":"Jan 2, 2024 3:04:05 AM"}`;
const records: string[] = [];
for (let index = 0, length = 0; length < answerChars - 200; index++) {
  records.push(record(index));
  length += (records.at(-1) as string).length + 1;
}
const answer = `{"inventories":[${records.join(',')}]}`;

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

console.log(`one answer of ${(answer.length / 1048576).toFixed(1)} MiB${escapes ? ' with escapes' : ''}, ${secrets.size} forms searched; ${runs} runs`);
for (let run = 1; run <= runs; run++) {
  let started = performance.now();
  const whole = secrets.scrub(answer);
  const wholeMs = performance.now() - started;
  let pieces = '';
  started = performance.now();
  const piecesBlock = await longestBlock(async () => {
    pieces = await secrets.scrubAnswer(answer, { charsPerTurn: CHARS_PER_TURN });
  });
  const piecesMs = performance.now() - started;
  if (pieces !== whole) throw new Error('scrubbed in pieces, the answer differs from the answer scrubbed whole');
  console.log(
    `run ${run}: whole ${wholeMs.toFixed(0)} ms, all of it one block; in turns ${piecesMs.toFixed(0)} ms, longest block ${piecesBlock.toFixed(0)} ms`,
  );
}
