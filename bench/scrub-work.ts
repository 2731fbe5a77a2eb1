/**
 * `npx tsx bench/scrub-work.ts`: the work the piece search does over `bench:scrub`'s answer
 * (the same 32 MiB of ZStack records with escapes, the same secrets), counted rather than
 * timed: blocks read (stepBack calls), characters passed over one by one (scan's stretches),
 * windows compared (windowsFrom's starts), and what the piece search remembers after a
 * Danube-like poll of answers that differ only in their `task_id`; summed over its searches, one per
 * set of punctuation the secrets hold (two here: the password's `-`, none in the hashes) when the
 * answer holds a `-` between two letters or digits (`backup-1`), one otherwise (`backup_1`: see
 * secret-piece-groups.ts). Counts, so two builds compare on a loaded machine.
 */
import { SecretPieceSearch } from '../src/upstream/secret-pieces.js';
import { SecretSet, sha512Hex } from '../src/upstream/secrets.js';

const counts = { blocks: 0, scanned: 0, windowStarts: 0 };
type Hooks = Record<string, (...args: never[]) => unknown>;
const proto = SecretPieceSearch.prototype as unknown as Hooks;
const wrap = (name: string, count: (args: number[]) => void): void => {
  const original = proto[name] as (...args: unknown[]) => unknown;
  proto[name] = function (this: unknown, ...args: unknown[]) {
    count(args.slice(1) as number[]);
    return original.apply(this, args);
  } as Hooks[string];
};
wrap('stepBack', () => counts.blocks++);
wrap('scan', ([start, end]) => (counts.scanned += (end as number) - (start as number)));
wrap('windowsFrom', ([, starts]) => (counts.windowStarts += starts as number));

const secrets = new SecretSet();
secrets.add('zstack-Pass-2024');
secrets.add(sha512Hex('zstack-Pass-2024'));
secrets.addRuntime('5a1b2c3d4e5f60718293a4b5c6d7e8f9');
const record = (index: number, joiner: string) =>
  `{"uuid":"${(index * 7919).toString(16).padStart(32, '0')}","name":"backup${joiner}${index}","description":"caf\\u00e9 %41 &amp; co","createDate":"Jan 2, 2024 3:04:05 AM"}`;
const answerJoinedBy = (joiner: string): string => {
  const records: string[] = [];
  for (let index = 0, length = 0; length < 32 * 1024 * 1024 - 200; index++) {
    records.push(record(index, joiner));
    length += (records.at(-1) as string).length + 1;
  }
  return `{"inventories":[${records.join(',')}]}`;
};
// "backup-1": a "-" between a letter and a digit, which the password holds and the hashes do not, so each set searches it;
// "backup_1": no such joiner, one search over every secret's forms.
for (const joiner of ['-', '_']) {
  const answer = answerJoinedBy(joiner);
  Object.assign(counts, { blocks: 0, scanned: 0, windowStarts: 0 });
  const scrubbed = secrets.scrub(answer);
  console.log(`32 MiB answer, names "backup${joiner}N": ${counts.blocks} blocks read, ${counts.scanned} characters passed one by one, ${counts.windowStarts} window starts compared; ${answer.length - scrubbed.length} characters shorter scrubbed`);
}
