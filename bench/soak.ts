/**
 * `npm run soak`: 50 concurrent clients send the dashboard query to a demo
 * gateway for SOAK_SECONDS (default 60) while one simulator flaps between up
 * and down every FLAP_MS (default 2000). Prints requests served, errors by
 * code, latency p50/p99 and the gateway's memory at start and end.
 */
import { request } from 'undici';
import { createLogger } from '../src/observability/logger.js';
import { startGatewayServer } from '../src/server/app.js';
import { DASHBOARD_QUERY } from '../src/server/graphiql.js';
import { startDemo } from '../src/server/demo.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 50);
const FLAP_MS = Number(process.env.FLAP_MS ?? 2_000);

interface GraphQLBody {
  errors?: Array<{ extensions?: { code?: string } }>;
  data?: { instances?: { providerErrors?: Array<{ code: string }> } } | null;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const demo = await startDemo({ port: 0, host: '127.0.0.1', simulator: { latencyMs: 5 } });
  // A breaker that tries again after 1 s, so the flapping provider's recoveries show within the run.
  const config = { ...demo.config, providers: demo.config.providers.map((provider) => ({ ...provider, breakerHalfOpenAfterMs: 1_000 })) };
  const gateway = await startGatewayServer(config, { logger: createLogger('silent') });
  const flapping = demo.simulators[0]!;
  const body = JSON.stringify({ query: DASHBOARD_QUERY });
  const latencies: number[] = [];
  const codes = new Map<string, number>();
  const count = (code: string) => codes.set(code, (codes.get(code) ?? 0) + 1);

  global.gc?.();
  const memoryStart = process.memoryUsage();
  // The simulators keep a log of every request for tests; here it would only grow.
  const trimLogs = setInterval(() => {
    for (const simulator of demo.simulators) simulator.server.resetLog();
  }, 1_000);
  let down = false;
  const flap = setInterval(() => {
    down = !down;
    void flapping.server.setFault(down ? 'down' : 'none');
  }, FLAP_MS);

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
  await flapping.server.clearFault();
  global.gc?.();
  const memoryEnd = process.memoryUsage();

  latencies.sort((a, b) => a - b);
  const at = (quantile: number) => latencies[Math.min(latencies.length - 1, Math.floor(quantile * latencies.length))] ?? 0;
  const served = latencies.length;
  console.log(`soak: ${SECONDS}s, ${CLIENTS} clients, ${flapping.kind} simulator flapping every ${FLAP_MS} ms`);
  console.log(`requests served     ${served} (${(served / SECONDS).toFixed(1)}/s)`);
  console.log(`latency p50 / p99   ${at(0.5).toFixed(1)} ms / ${at(0.99).toFixed(1)} ms`);
  console.log(`memory rss          ${mb(memoryStart.rss)} -> ${mb(memoryEnd.rss)}`);
  console.log(`memory heap used    ${mb(memoryStart.heapUsed)} -> ${mb(memoryEnd.heapUsed)}`);
  console.log('outcomes by code:');
  for (const [code, n] of [...codes].sort()) console.log(`  ${code.padEnd(40)} ${n}`);

  await gateway.close();
  await demo.stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
