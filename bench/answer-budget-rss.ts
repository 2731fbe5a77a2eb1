/**
 * `npx tsx bench/answer-budget-rss.ts`: the compiled gateway's peak RSS under
 * the attack `limits.maxAnswerBytesHeld` answers. One OnApp account on
 * loopback lists 16 VMs, and each VM's backup list is one answer of 31 MiB
 * (`["xxx..."]`, written in 64 KiB pieces with backpressure, as
 * test/reliability/answer-bytes-budget.test.ts makes them): one query for
 * every VM's backups has the gateway read all 16 at once (the account's
 * default concurrency), each within the 32 MiB answer size limit.
 *
 * Runs the gateway (dist/, `npm start`'s node flags) once with the default
 * budget (128 MiB) and once with it set to 64 GiB (the budget taken out),
 * BUDGET_RUNS (2) times each, alternating, and prints RSS idle and at its
 * peak (read from /proc every 50 ms) for each run. BUDGET_DETAIL=1 prints
 * the start of each answer. Build first (`npm run build`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCompiledGateway } from './compiled-gateway.js';
import { positiveCount } from './stats.js';

const MiB = 1024 * 1024;
const VMS = 16;
const ANSWER_BYTES = 31 * MiB;
const PIECE = 64 * 1024;
const runs = positiveCount('BUDGET_RUNS', 2);

function largeOnapp(): Promise<{ server: Server; url: string }> {
  const vms = JSON.stringify(Array.from({ length: VMS }, (_, index) => ({ virtual_machine: { id: index + 1, label: `large-${index + 1}`, identifier: `i${index + 1}` } })));
  const filler = 'x'.repeat(PIECE);
  const server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    if (request.url?.startsWith('/virtual_machines.json')) return void response.end(vms);
    if (!request.url?.includes('/backups.json')) return void response.end('[]');
    let sent = 0;
    response.write('["');
    const more = (): void => {
      while (sent < ANSWER_BYTES) {
        const piece = filler.slice(0, Math.min(PIECE, ANSWER_BYTES - sent));
        sent += piece.length;
        if (!response.write(piece)) return void response.once('drain', more);
      }
      response.end('"]');
    };
    more();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

const query = '{ instances(providerId: "onapp-large") { edges { node { nativeId backups { id } } } } }';

async function measure(url: string, budget: number | undefined): Promise<{ idle: number; peak: number; ms: number; errors: number }> {
  const gateway = await startCompiledGateway({
    ...(budget === undefined ? {} : { limits: { maxAnswerBytesHeld: budget } }),
    // A paused read counts against the attempt timeout: give the budgeted run time to finish its turns.
    providers: [{ id: 'onapp-large', kind: 'onapp', url, auth: { username: 'bench', password: 'bench-api-key' }, timeoutMs: 120_000, retries: 0 }],
  });
  try {
    await sleep(2_000);
    const idle = gateway.rssMiB();
    let peak = idle;
    const sampler = setInterval(() => (peak = Math.max(peak, gateway.rssMiB())), 50);
    const started = performance.now();
    const response = await fetch(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const answer = (await response.json()) as { errors?: unknown[] };
    if (process.env.BUDGET_DETAIL) process.stderr.write(`${JSON.stringify(answer).slice(0, 2000)}\n`);
    const ms = performance.now() - started;
    clearInterval(sampler);
    peak = Math.max(peak, gateway.rssMiB());
    return { idle, peak, ms, errors: answer.errors?.length ?? 0 };
  } finally {
    await gateway.stop();
  }
}

const provider = await largeOnapp();
const settings: Array<[string, number | undefined]> = [
  ['default budget (128 MiB)', undefined],
  ['budget taken out (64 GiB)', 64 * 1024 * MiB],
];
const rows: string[] = [];
for (let run = 1; run <= runs; run++) {
  for (const [name, budget] of settings) {
    const { idle, peak, ms, errors } = await measure(provider.url, budget);
    // The rows are no records, so each VM lists no backups: its answer was read and parsed all the same.
    rows.push(`| ${run} | ${name} | ${idle.toFixed(0)} MiB | ${peak.toFixed(0)} MiB | ${(ms / 1000).toFixed(1)} s | ${errors} |`);
    process.stderr.write(`${rows.at(-1)}\n`);
  }
}
provider.server.closeAllConnections();
provider.server.close();
process.stdout.write(
  [
    `\n### ${VMS} concurrent answers of ${ANSWER_BYTES / MiB} MiB from one OnApp account (dist/)\n`,
    '| run | limits.maxAnswerBytesHeld | RSS idle | RSS peak | query time | errors in the answer |',
    '| ---: | --- | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
  ].join('\n'),
);
