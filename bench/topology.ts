/**
 * Throughput of the deployed topology on this machine: the dashboard query
 * against one gateway process, then through HAProxy (deploy/haproxy.cfg) in
 * front of two, both sharing Redis (REDIS_URL, default 127.0.0.1:6379) with
 * the read cache on. Simulators (50 instances per provider, 20 ms latency) run
 * in this process. Knobs: TOPOLOGY_SECONDS (10), TOPOLOGY_CACHE_TTL_MS (30000;
 * 0 = cache off). Run: npx tsx bench/topology.ts
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulatedKinds, startSimulator } from '../src/providers/registry.js';
import { DASHBOARD_QUERY } from '../src/server/graphiql.js';
import { freePort, spawnGateway } from '../test/helpers/gateway-process.js';
import { startHaproxy } from '../test/helpers/haproxy.js';
import { dashboardOnce, loadRun, type LoadResult } from './load.js';

const seconds = Number(process.env.TOPOLOGY_SECONDS ?? 10);
const cacheTtlMs = Number(process.env.TOPOLOGY_CACHE_TTL_MS ?? 30_000);
const instances = 50;
const run = randomUUID().slice(0, 8);

const simulators = await Promise.all(simulatedKinds().map((kind) => startSimulator(kind, { instances, backupsPerInstance: 4, latencyMs: 20, logLimit: 20_000 })));
const directory = mkdtempSync(join(tmpdir(), 'backup-graph-topology-bench-'));
const configFile = join(directory, 'config.yaml');
writeFileSync(
  configFile,
  JSON.stringify({
    allowAnonymous: true,
    logLevel: 'warn',
    providers: simulators.map((simulator) => ({ ...simulator.accountConfig(`${simulator.kind}-${run}`), cacheTtlMs, maxConcurrency: 256 })),
  }),
);
const ports = [await freePort(), await freePort()] as const;
// A grace before closing, as deployed (deploy/config.yaml).
const env = { REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', LOG_LEVEL: 'warn', SHUTDOWN_READYZ_GRACE_MS: '500' };
const say = (message: string) => process.stderr.write(`${message}\n`);
say('starting two gateway processes');
const replicas = await Promise.all([spawnGateway({ configFile, port: ports[0], env }), spawnGateway({ configFile, port: ports[1], env })]);
const haproxy = await startHaproxy({ servers: [`127.0.0.1:${ports[0]}`, `127.0.0.1:${ports[1]}`], checkInter: '1s' });
await Promise.all([haproxy.waitFor('gateway-1', 'UP'), haproxy.waitFor('gateway-2', 'UP')]);
say('HAProxy sees both replicas up');

const body = JSON.stringify({ query: DASHBOARD_QUERY });
const expected = instances * simulators.length;
const rows: Array<{ target: string } & LoadResult> = [];
try {
  for (const url of [replicas[0].graphqlUrl, replicas[1].graphqlUrl, haproxy.graphqlUrl]) await dashboardOnce(url, body, expected);
  say('warm; load runs');
  rows.push({ target: 'one replica, direct', ...(await loadRun(replicas[0].graphqlUrl, body, 8, seconds)) });
  rows.push({ target: 'two replicas via HAProxy', ...(await loadRun(haproxy.graphqlUrl, body, 16, seconds)) });
} finally {
  await haproxy.stop();
  await Promise.all(replicas.map((replica) => replica.stop()));
  await Promise.all(simulators.map((simulator) => simulator.stop()));
  rmSync(directory, { recursive: true, force: true });
}

process.stdout.write(
  `\n${availableParallelism()} CPUs, load average ${loadavg()[0]?.toFixed(1)} at the end; dashboard of ${expected} instances; cacheTtlMs ${cacheTtlMs}\n\n` +
    '| target | connections | req/s | req/s per replica | p50 ms | p99 ms |\n|---|---|---|---|---|---|\n' +
    rows
      .map((row) => {
        const perReplica = row.target.startsWith('two') ? row.requestsPerSecond / 2 : row.requestsPerSecond;
        return `| ${row.target} | ${row.connections} | ${row.requestsPerSecond.toFixed(0)} | ${perReplica.toFixed(0)} | ${row.p50Ms} | ${row.p99Ms} |`;
      })
      .join('\n') +
    '\n',
);
