/**
 * `npm run soak`: 50 concurrent clients (SOAK_CLIENTS) send the dashboard
 * query to the compiled gateway (dist/, as `npm start` runs it, in a child
 * process) for SOAK_SECONDS (default 60) while one simulator flaps between up
 * and down every FLAP_MS (default 2000). The simulators run in this process.
 * Prints requests served, errors by code, latency p50/p99, and the gateway's
 * RSS and heap after a full GC at start, after SOAK_WARMUP_SECONDS (10) of
 * load (its working set: code optimised, pools and caches filled) and at the
 * end; growth from warm to end is what a leak would show.
 */
import { request } from 'undici';
import type { RunningSimulator } from '../src/providers/module.js';
import { simulatedKinds, startSimulator } from '../src/providers/registry.js';
import { DASHBOARD_QUERY } from '../src/server/graphiql.js';
import { startCompiledGateway } from './compiled-gateway.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const WARMUP_SECONDS = Math.min(Number(process.env.SOAK_WARMUP_SECONDS ?? 10), SECONDS / 2);
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 50);
const FLAP_MS = Number(process.env.FLAP_MS ?? 2_000);

interface GraphQLBody {
  errors?: Array<{ extensions?: { code?: string } }>;
  data?: { instances?: { providerErrors?: Array<{ code: string }> } } | null;
}

async function main(): Promise<void> {
  const simulators: RunningSimulator[] = await Promise.all(simulatedKinds().map((kind) => startSimulator(kind, { latencyMs: 5 })));
  // A breaker that tries again after 1 s, so the flapping provider's recoveries show within the run.
  const providers = simulators.map((simulator) => ({ ...simulator.accountConfig(`${simulator.kind}-soak`), breakerHalfOpenAfterMs: 1_000 }));
  const gateway = await startCompiledGateway({ providers });
  const flapping = simulators[0]!;
  const body = JSON.stringify({ query: DASHBOARD_QUERY });
  const latencies: number[] = [];
  const codes = new Map<string, number>();
  const count = (code: string) => codes.set(code, (codes.get(code) ?? 0) + 1);

  const memory = [{ label: 'start', ...(await gateway.afterGc()) }];
  // The simulators keep a log of every request for tests; here it would only grow.
  const trimLogs = setInterval(() => {
    for (const simulator of simulators) simulator.server.resetLog();
  }, 1_000);
  let down = false;
  const flap = setInterval(() => {
    down = !down;
    void flapping.server.setFault(down ? 'down' : 'none');
  }, FLAP_MS);
  const warm = setTimeout(() => void gateway.afterGc().then((reading) => memory.push({ label: `warm (${WARMUP_SECONDS} s)`, ...reading })), WARMUP_SECONDS * 1000);

  const deadline = Date.now() + SECONDS * 1000;
  const client = async () => {
    while (Date.now() < deadline) {
      const started = performance.now();
      try {
        const response = await request(gateway.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        const answer = (await response.body.json()) as GraphQLBody;
        latencies.push(performance.now() - started);
        count(`http_${response.statusCode}`);
        for (const error of answer.errors ?? []) count(`error:${error.extensions?.code ?? 'none'}`);
        const providerErrors = answer.data?.instances?.providerErrors ?? [];
        for (const error of providerErrors) count(`providerError:${error.code}`);
        if (response.statusCode === 200 && providerErrors.length === 0 && !answer.errors) count('complete (every provider answered)');
      } catch {
        count('client_failure');
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  clearInterval(flap);
  clearInterval(trimLogs);
  clearTimeout(warm);
  await flapping.server.clearFault();
  memory.push({ label: 'end', ...(await gateway.afterGc()) });

  latencies.sort((a, b) => a - b);
  const at = (quantile: number) => latencies[Math.min(latencies.length - 1, Math.floor(quantile * latencies.length))] ?? 0;
  const served = latencies.length;
  const [warmReading, endReading] = [memory.at(-2)!, memory.at(-1)!];
  const growth = (from: number, to: number) => `${to >= from ? '+' : ''}${(((to - from) / from) * 100).toFixed(1)}%`;
  console.log(`soak: ${SECONDS}s, ${CLIENTS} clients, ${flapping.kind} simulator flapping every ${FLAP_MS} ms; gateway: dist/main.js as npm start runs it`);
  console.log(`requests served     ${served} (${(served / SECONDS).toFixed(1)}/s)`);
  console.log(`latency p50 / p99   ${at(0.5).toFixed(1)} ms / ${at(0.99).toFixed(1)} ms`);
  console.log('gateway memory after a full GC:');
  for (const reading of memory) console.log(`  ${reading.label.padEnd(14)} RSS ${reading.rssMiB.toFixed(1)} MiB, heap ${reading.heapMiB.toFixed(1)} MiB`);
  console.log(`  warm -> end    RSS ${growth(warmReading.rssMiB, endReading.rssMiB)}, heap ${growth(warmReading.heapMiB, endReading.heapMiB)}`);
  console.log('outcomes by code:');
  for (const [code, n] of [...codes].sort()) console.log(`  ${code.padEnd(40)} ${n}`);

  await gateway.stop();
  await Promise.all(simulators.map((simulator) => simulator.stop()));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
