/**
 * `npm run bench`: the dashboard benchmark. Simulators in one process, the
 * gateway in another, autocannon here. BENCH_N (instances per provider,
 * default 50), BENCH_LATENCY_MS (default 20), BENCH_SECONDS (per load run,
 * default 10). `npm run bench -- --profile` also profiles the gateway at L=0
 * and prints the top self-time functions. Writes bench/results.json.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { request } from 'undici';
import { DASHBOARD_QUERY } from '../src/server/graphiql.js';

const N = Number(process.env.BENCH_N ?? 50);
const L = Number(process.env.BENCH_LATENCY_MS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PROFILE = process.argv.includes('--profile');
const BODY = JSON.stringify({ query: DASHBOARD_QUERY.replace('first: 500', 'first: 10000') });

type Message = { type: string; [key: string]: unknown };

function start(script: string, env: Record<string, string>, execArgv: string[] = []): Promise<{ child: ChildProcess; ready: Message }> {
  const child = fork(join(import.meta.dirname, script), { env: { ...process.env, ...env }, execArgv: ['--import', 'tsx', ...execArgv], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (message: Message) => resolve({ child, ready: message }));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

function ask(child: ChildProcess, command: Message, reply: string): Promise<Message> {
  return new Promise((resolve) => {
    const listener = (message: Message) => {
      if (message.type === reply) {
        child.off('message', listener);
        resolve(message);
      }
    };
    child.on('message', listener);
    child.send(command);
  });
}

const stop = (child: ChildProcess) => new Promise<void>((resolve) => {
  child.once('exit', () => resolve());
  child.send({ type: 'stop' });
});

async function query(url: string): Promise<number> {
  const response = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY });
  const text = await response.body.text();
  if (response.statusCode !== 200 || text.includes('"errors"')) throw new Error(`dashboard query failed: ${text.slice(0, 300)}`);
  return text.length;
}

async function load(url: string, connections: number): Promise<{ p50: number; p99: number; rps: number; requests: number }> {
  const result = await autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY, connections, duration: SECONDS });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`load run had ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  return { p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average, requests: result.requests.total };
}

async function main(): Promise<void> {
  const simulators = await start('simulators.ts', { BENCH_N: String(N), BENCH_LATENCY_MS: String(L) });
  const accounts = simulators.ready.accounts as Array<Record<string, unknown>>;
  const setLatency = (ms: number) => ask(simulators.child, { type: 'latency', ms }, 'ok');
  const upstreamPerQuery = async (url: string) => {
    await ask(simulators.child, { type: 'reset' }, 'ok');
    await query(url);
    return (await ask(simulators.child, { type: 'stats' }, 'stats')).counts as Record<string, number>;
  };
  const gatewayWith = (options: { batching: boolean; cacheTtlMs: number }, execArgv: string[] = []) =>
    start('gateway.ts', { BENCH_GATEWAY: JSON.stringify({ accounts, ...options }) }, execArgv);
  const usage = async (child: ChildProcess) => {
    const message = await ask(child, { type: 'usage' }, 'usage');
    const cpu = message.cpu as NodeJS.CpuUsage;
    return { cpuMs: (cpu.user + cpu.system) / 1000, rss: message.rss as number };
  };
  const cpuPerQuery = async (child: ChildProcess, url: string) => {
    for (let index = 0; index < 20; index++) await query(url);
    const before = await usage(child);
    const run = await load(url, 8);
    const after = await usage(child);
    return { cpuMsPerQuery: (after.cpuMs - before.cpuMs) / run.requests, rps: run.rps };
  };

  // Batched, at latency L.
  const batched = await gatewayWith({ batching: true, cacheTtlMs: 0 });
  const url = batched.ready.url as string;
  const bytes = await query(url);
  const upstreamBatched = await upstreamPerQuery(url);
  const c1 = await load(url, 1);
  const c32 = await load(url, 32);
  const rss = (await usage(batched.child)).rss;

  // CPU per query at L = 0, without and with the cross-request cache.
  await setLatency(0);
  const cpuNoCache = await cpuPerQuery(batched.child, url);
  await stop(batched.child);
  const cached = await gatewayWith({ batching: true, cacheTtlMs: 3_600_000 });
  const cpuCache = await cpuPerQuery(cached.child, cached.ready.url as string);
  await stop(cached.child);

  // The naive baseline: DataLoader batching off.
  await setLatency(L);
  const naive = await gatewayWith({ batching: false, cacheTtlMs: 0 });
  const upstreamNaive = await upstreamPerQuery(naive.ready.url as string);
  const naiveC1 = await load(naive.ready.url as string, 1);
  await stop(naive.child);

  let hotSpots: Array<{ fn: string; percent: number }> = [];
  if (PROFILE) {
    await setLatency(0);
    const dir = join(import.meta.dirname, 'profiles');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const profiled = await gatewayWith({ batching: true, cacheTtlMs: 0 }, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    await cpuPerQuery(profiled.child, profiled.ready.url as string);
    await stop(profiled.child);
    hotSpots = topSelfTime(join(dir, readdirSync(dir)[0] as string));
  }
  await stop(simulators.child);

  const total = (counts: Record<string, number>) => Object.values(counts).reduce((sum, count) => sum + count, 0);
  const results = {
    parameters: { instancesPerProvider: N, providers: accounts.map((account) => account.kind), latencyMs: L, seconds: SECONDS, answerBytes: bytes },
    upstreamPerQuery: { batched: upstreamBatched, naive: upstreamNaive, ratio: total(upstreamNaive) / total(upstreamBatched) },
    latency: { c1, c32, naiveC1 },
    cpuMsPerQuery: { noCache: cpuNoCache.cpuMsPerQuery, warmCache: cpuCache.cpuMsPerQuery },
    gatewayRssMb: rss / 1024 / 1024,
    hotSpots,
  };
  writeFileSync(join(import.meta.dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  print(results, total);
}

function topSelfTime(file: string): Array<{ fn: string; percent: number }> {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>; samples: number[]; timeDeltas: number[] };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let sum = 0;
  profile.samples.forEach((sample, index) => {
    const frame = byId.get(sample)?.callFrame;
    const key = `${frame?.functionName || '(anonymous)'} ${frame?.url.split('/').slice(-2).join('/')}:${frame?.lineNumber}`;
    const delta = profile.timeDeltas[index] ?? 0;
    self.set(key, (self.get(key) ?? 0) + delta);
    sum += delta;
  });
  return [...self].filter(([key]) => !key.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, 10).map(([fn, time]) => ({ fn, percent: Math.round((time / sum) * 1000) / 10 }));
}

function print(results: ReturnType<typeof Object>, total: (counts: Record<string, number>) => number): void {
  const r = results as {
    parameters: { instancesPerProvider: number; providers: string[]; latencyMs: number; answerBytes: number };
    upstreamPerQuery: { batched: Record<string, number>; naive: Record<string, number>; ratio: number };
    latency: { c1: { p50: number; p99: number; rps: number }; c32: { p50: number; p99: number; rps: number }; naiveC1: { p50: number; p99: number; rps: number } };
    cpuMsPerQuery: { noCache: number; warmCache: number };
    gatewayRssMb: number;
    hotSpots: Array<{ fn: string; percent: number }>;
  };
  const { latencyMs: l } = r.parameters;
  const cpu = r.cpuMsPerQuery.noCache;
  const rows: Array<[string, string]> = [
    ['instances', `${r.parameters.instancesPerProvider} per provider x ${r.parameters.providers.length} (${r.parameters.providers.join(', ')}), answer ${(r.parameters.answerBytes / 1024).toFixed(0)} KB`],
    ['upstream requests / query (batched)', `${total(r.upstreamPerQuery.batched)}  ${JSON.stringify(r.upstreamPerQuery.batched)}`],
    ['upstream requests / query (naive)', `${total(r.upstreamPerQuery.naive)}  ${JSON.stringify(r.upstreamPerQuery.naive)}`],
    ['naive / batched', r.upstreamPerQuery.ratio.toFixed(1)],
    [`latency c=1, L=${l} ms (p50 / p99)`, `${r.latency.c1.p50} / ${r.latency.c1.p99} ms, ${r.latency.c1.rps.toFixed(0)} req/s`],
    [`latency c=32, L=${l} ms (p50 / p99)`, `${r.latency.c32.p50} / ${r.latency.c32.p99} ms, ${r.latency.c32.rps.toFixed(0)} req/s`],
    [`naive latency c=1 (p50 / p99)`, `${r.latency.naiveC1.p50} / ${r.latency.naiveC1.p99} ms`],
    ['gateway CPU / query, L=0, no cache', `${cpu.toFixed(2)} ms`],
    ['gateway CPU / query, L=0, warm cache', `${r.cpuMsPerQuery.warmCache.toFixed(2)} ms`],
    ['gateway RSS', `${r.gatewayRssMb.toFixed(0)} MB`],
  ];
  console.log('\n| measure | value |\n|---|---|');
  for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
  const check = (ok: boolean, text: string) => console.log(`${ok ? 'PASS' : 'MISS'}  ${text}`);
  console.log('');
  check(r.upstreamPerQuery.ratio >= 10, `naive/batched upstream requests ${r.upstreamPerQuery.ratio.toFixed(1)} >= 10`);
  check(r.latency.c1.p50 <= 2 * l + cpu + 5, `p50 at c=1 ${r.latency.c1.p50} ms <= 2L + CPU + 5 = ${(2 * l + cpu + 5).toFixed(1)} ms`);
  check(r.latency.c32.rps >= 0.8 * (1000 / cpu), `req/s at c=32 ${r.latency.c32.rps.toFixed(0)} >= 80% of 1000/CPU = ${(0.8 * (1000 / cpu)).toFixed(0)}`);
  check(cpu <= 15, `CPU/query without cache ${cpu.toFixed(2)} ms <= 15 ms`);
  check(r.cpuMsPerQuery.warmCache <= 3, `CPU/query with warm cache ${r.cpuMsPerQuery.warmCache.toFixed(2)} ms <= 3 ms`);
  if (r.hotSpots.length > 0) {
    console.log('\nTop self-time functions in the gateway (L=0, no cache):');
    for (const spot of r.hotSpots) console.log(`  ${spot.percent.toFixed(1).padStart(5)}%  ${spot.fn}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
