/**
 * One gateway under test, in its own process so that process.cpuUsage() is
 * the gateway's alone (not the load generator's, not the simulators').
 */
import { validateConfig } from '../src/config/load.js';
import { createLogger } from '../src/observability/logger.js';
import { startGatewayServer } from '../src/server/app.js';

const { accounts, batching, cacheTtlMs } = JSON.parse(process.env.BENCH_GATEWAY ?? '{}') as { accounts: Array<Record<string, unknown>>; batching: boolean; cacheTtlMs: number };
const config = validateConfig({
  listen: { port: 0, host: '127.0.0.1' },
  allowAnonymous: true,
  limits: { maxPageSize: 10_000, maxCost: 100_000_000 },
  providers: accounts.map((account) => ({ ...account, cacheTtlMs, maxConcurrency: 256 })),
});
const gateway = await startGatewayServer(config, { logger: createLogger('silent'), batching });
process.send?.({ type: 'ready', url: gateway.graphqlUrl });

process.on('message', (command: { type: string }) => {
  if (command.type === 'usage') process.send?.({ type: 'usage', cpu: process.cpuUsage(), rss: process.memoryUsage().rss });
  if (command.type === 'stop') void gateway.close().then(() => process.exit(0));
});
