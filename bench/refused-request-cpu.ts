/**
 * `npx tsx bench/refused-request-cpu.ts`: the compiled gateway's CPU for one request refused by
 * `limits.maxUpstreamAnswerBytesPerRequest` (its default, 256 MiB). A hostile OnApp account on
 * loopback lists 400 VMs, and each VM's backup list is one backup with a 2 MB note: one query for
 * every VM's backups passes the limit at about the 130th answer. Prints, per run, the gateway's CPU
 * (user + system, from /proc) from the query until the account's queue has drained (a VM-list read
 * sent after the answer waits for a slot behind every read queued before it), the time to the
 * answer, and the backup-list calls that reached the provider. REFUSED_RUNS (2) runs, each on a
 * fresh gateway. Build first (`npm run build`).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCompiledGateway } from './compiled-gateway.js';
import { positiveCount } from './stats.js';

const VMS = 400;
const NOTE = 'n'.repeat(2_000_000);
const runs = positiveCount('REFUSED_RUNS', 2);

let backupCalls = 0;
const vms = JSON.stringify(Array.from({ length: VMS }, (_, index) => ({ virtual_machine: { id: index + 1, label: `vm${index + 1}`, booted: true } })));
const server = createServer((request, response) => {
  request.resume();
  response.writeHead(200, { 'content-type': 'application/json' });
  const url = request.url ?? '';
  if (url.startsWith('/virtual_machines.json')) return void response.end(vms);
  const vm = /^\/virtual_machines\/(\d+)\/backups\.json/.exec(url)?.[1];
  if (vm === undefined) return void response.end('[]');
  backupCalls += 1;
  response.end(JSON.stringify([{ backup: { id: Number(vm) * 10, built: true, created_at: '2026-01-01T00:00:00Z', note: NOTE, backup_type: 'normal' } }]));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function ask(graphqlUrl: string, query: string): Promise<{ errors?: Array<{ message?: string; extensions?: { code?: string } }> }> {
  const response = await fetch(graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await response.json()) as { errors?: Array<{ message?: string; extensions?: { code?: string } }> };
}

const rows: string[] = [];
for (let run = 1; run <= runs; run++) {
  const gateway = await startCompiledGateway({ providers: [{ id: 'onapp-hostile', kind: 'onapp', url, auth: { username: 'bench', password: 'bench-api-key' }, retries: 0, cacheTtlMs: 0, timeoutMs: 120_000 }] });
  try {
    backupCalls = 0;
    const cpuBefore = gateway.cpuMs();
    const started = performance.now();
    const answer = await ask(gateway.graphqlUrl, '{ instances(providerId: "onapp-hostile", first: 1000) { edges { node { backups { id } } } } }');
    const answeredMs = performance.now() - started;
    const callsAtAnswer = backupCalls;
    const drained = await ask(gateway.graphqlUrl, '{ instances(providerId: "onapp-hostile", first: 1) { edges { node { nativeId } } } }');
    if (drained.errors) throw new Error(`the VM list after the refused request failed: ${JSON.stringify(drained.errors)}`);
    const cpuMs = gateway.cpuMs() - cpuBefore;
    const codes = [...new Set((answer.errors ?? []).map((error) => error.extensions?.code))].join(', ');
    rows.push(`| ${run} | ${(cpuMs / 1000).toFixed(1)} s | ${(answeredMs / 1000).toFixed(1)} s | ${callsAtAnswer} | ${backupCalls} | ${codes} |`);
    process.stderr.write(`${rows.at(-1)}\n`);
    // Any error other than the refusal, once each: it says what else the request ran into.
    const others = new Set((answer.errors ?? []).filter((error) => error.extensions?.code !== 'QUERY_TOO_COMPLEX').map((error) => error.message));
    for (const message of others) process.stderr.write(`  also: ${message}\n`);
  } finally {
    await gateway.stop();
  }
}
server.closeAllConnections();
server.close();
process.stdout.write(
  [
    `\n### One request refused at limits.maxUpstreamAnswerBytesPerRequest (256 MiB): ${VMS} OnApp VMs, a 2 MB note on each backup (dist/)\n`,
    '| run | gateway CPU | time to the answer | backup lists asked by the answer | backup lists asked in all | error codes |',
    '| ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows,
    '',
  ].join('\n'),
);
