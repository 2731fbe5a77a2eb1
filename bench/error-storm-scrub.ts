/**
 * `npx tsx bench/error-storm-scrub.ts`: the CPU one request's error lines cost in scrubbing with
 * 20 accounts (5 of each provider kind, their secrets declared as the adapters declare them, a
 * session each), the accounts' scrubs in turn against everyAccountScrub. A request's lines scrub
 * what SCRUBBED_CHARACTERS_PER_REQUEST lets through: graphql-js's message for a bad variable,
 * clipped to LOGGED_MESSAGE_CHARACTERS (scrubClipped), until the budget is spent. Each request's
 * values start with its own number, so no memory answers them (a client varying its storm).
 * STORM_ROUNDS (15) alternated rounds of STORM_REQUESTS (40) requests per shape; medians, ms a
 * request. STORM_BEFORE: another checkout's src/ (before everyAccountScrub), whose accounts in
 * turn are measured in the same rounds, first.
 */
import { performance } from 'node:perf_hooks';
import { LOGGED_MESSAGE_CHARACTERS, SCRUBBED_CHARACTERS_PER_REQUEST, scrubClipped } from '../src/graphql/scrubbed-log-text.js';
import { declareDanubeSecrets } from '../src/providers/danube/secrets.js';
import { declareOnappSecrets } from '../src/providers/onapp/secrets.js';
import { declareZomroSecrets } from '../src/providers/zomro/secrets.js';
import { declareZstackSecrets } from '../src/providers/zstack/secrets.js';
import { everyAccountScrub } from '../src/upstream/every-account-scrub.js';
import { SecretSet } from '../src/upstream/secrets.js';
import { positiveCount } from './stats.js';

const rounds = positiveCount('STORM_ROUNDS', 15);
const requests = positiveCount('STORM_REQUESTS', 40);

const word = (seed: number, length: number): string => Array.from({ length }, (_, at) => 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'[(seed * 31 + at * 17 + at * at) % 55]).join('');

type Declare<Auth> = (set: SecretSet, auth: Auth) => void;
interface Modules {
  SecretSet: typeof SecretSet;
  declareDanubeSecrets: typeof declareDanubeSecrets;
  declareOnappSecrets: typeof declareOnappSecrets;
  declareZomroSecrets: typeof declareZomroSecrets;
  declareZstackSecrets: typeof declareZstackSecrets;
}

/** 20 accounts' secret sets built by `modules` (this checkout's or STORM_BEFORE's). */
function accounts(modules: Modules): SecretSet[] {
  return Array.from({ length: 20 }, (_, index) => {
    const set = new modules.SecretSet();
    const kind = index % 4;
    if (kind === 0) (modules.declareDanubeSecrets as Declare<object>)(set, { apiKey: word(index, 40) });
    if (kind === 1) (modules.declareOnappSecrets as Declare<object>)(set, { username: `ops${index}@example.com`, password: `${word(index, 12)}-${word(index + 7, 6)}!` });
    if (kind === 2) (modules.declareZomroSecrets as Declare<object>)(set, { username: `user${index}`, password: word(index, 14) });
    if (kind === 3) (modules.declareZstackSecrets as Declare<object>)(set, { password: `${word(index, 10)}#${index}` });
    set.addRuntime(`${word(index + 3, 32)}`);
    return set;
  });
}
const inTurnOf = (sets: readonly SecretSet[]) => (text: string): string => sets.reduce((scrubbed, set) => set.scrub(scrubbed), text);
const here: Modules = { SecretSet, declareDanubeSecrets, declareOnappSecrets, declareZomroSecrets, declareZstackSecrets };
const sets = accounts(here);
const inTurn = inTurnOf(sets);
const joined = everyAccountScrub(sets);
const ways: Array<[string, (text: string) => string]> = [];
const before = process.env.STORM_BEFORE;
if (before) {
  const load = async (path: string): Promise<Record<string, unknown>> => (await import(`${before}/${path}`)) as Record<string, unknown>;
  const old = { ...(await load('upstream/secrets.ts')), ...(await load('providers/danube/secrets.ts')), ...(await load('providers/onapp/secrets.ts')), ...(await load('providers/zomro/secrets.ts')), ...(await load('providers/zstack/secrets.ts')) } as unknown as Modules;
  ways.push(['before, in turn', inTurnOf(accounts(old))]);
}
ways.push(['in turn', inTurn], ['joined', joined]);

const SHAPES: Record<string, string> = { 'plain letters': 'abcdefghij', '%2526amp%253B runs': 'abc%2526amp%253B', '\\x5c\\u005c runs': '\\x5c\\u005c' };
let request = 0;
function storm(shape: string, scrub: (text: string) => string): number {
  let out = 0;
  request += 1;
  let budget = SCRUBBED_CHARACTERS_PER_REQUEST;
  for (let variable = 0; variable < 20 && budget > 0; variable++) {
    const message = `Variable "$v${variable}" got invalid value "${`${request}-${variable}-`.padEnd(1_000, shape)}"; Boolean cannot represent a non boolean value`;
    const logged = scrubClipped(message, LOGGED_MESSAGE_CHARACTERS, scrub);
    budget -= Math.min(message.length, LOGGED_MESSAGE_CHARACTERS);
    out += logged.length;
  }
  return out;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
for (const [name, shape] of Object.entries(SHAPES)) {
  // Same output first: the bench weighs two ways of writing one thing.
  for (let check = 0; check < 5; check++) {
    const text = `Variable "$v0" got invalid value "${`${check}-`.padEnd(280, shape)}"`;
    if (inTurn(text) !== joined(text)) throw new Error(`${name}: outputs differ`);
  }
  const times = new Map<string, number[]>(ways.map(([label]) => [label, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [label, scrub] of ways) {
      const started = performance.now();
      for (let at = 0; at < requests; at++) storm(shape, scrub);
      times.get(label)?.push((performance.now() - started) / requests);
    }
  }
  const first = times.get(ways[0]?.[0] as string) as number[];
  console.log(
    `${name}: ${[...times].map(([label, values]) => `${label} ${median(values).toFixed(3)} ms a request (${(median(values) / median(first)).toFixed(2)}x, lower in ${values.filter((value, index) => value < (first[index] as number)).length} of ${rounds})`).join('; ')}`,
  );
}
