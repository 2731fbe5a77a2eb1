/**
 * One gateway under test, in a process of its own: process.cpuUsage() here
 * is the gateway's alone, not autocannon's (which would share the bench
 * process) nor the simulators'. Driven by the bench over IPC.
 */
import { existsSync } from 'node:fs';
import type { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startGcMeter } from './gc-meter.js';
import { peakRssBytes } from './peak-rss.js';
import { usageMessage, type ChildMessage, type ParentMessage } from './ipc.js';
import { startHeapSampling, startProfiling, stopHeapSampling, stopProfiling } from './profile.js';

/** What the bench passes in BENCH_GATEWAY. */
export interface GatewaySetup {
  accounts: Array<Record<string, unknown>>;
  batching: boolean;
  /** 0: no cross-request cache. */
  cacheTtlMs: number;
  /** 0: the shipped default. */
  maxConcurrency: number;
  maxPageSize: number;
  /** The build under test: a dist/ directory (compiled JavaScript) or src/ (under tsx). */
  root: string;
}

const setup = JSON.parse(process.env.BENCH_GATEWAY ?? 'null') as GatewaySetup;
// The build under test, loaded by path: the compiled dist/ by default, as `npm start` runs it.
const load = <T>(module: string): Promise<T> => import(pathToFileURL(join(setup.root, module)).href) as Promise<T>;
const extension = setup.root.endsWith('src') ? 'ts' : 'js';
const { validateConfig } = await load<typeof import('../src/config/load.js')>(`config/load.${extension}`);
const { createLogger } = await load<typeof import('../src/observability/logger.js')>(`observability/logger.${extension}`);
const { startGatewayServer } = await load<typeof import('../src/server/app.js')>(`server/app.${extension}`);
// What src/main.ts does before serving; older builds kept it in heap-growth (tuneGarbageCollection, before that limitHeapGrowth), older still nowhere.
type V8Settings = Partial<Record<'applyV8Settings' | 'tuneGarbageCollection' | 'limitHeapGrowth', (execArgv: readonly string[]) => unknown>>;
if (existsSync(join(setup.root, `v8-settings.${extension}`))) {
  (await load<V8Settings>(`v8-settings.${extension}`)).applyV8Settings?.(process.execArgv);
} else {
  await load<V8Settings>(`heap-growth.${extension}`).then(
    (module) => (module.tuneGarbageCollection ?? module.limitHeapGrowth)?.(process.execArgv),
    () => undefined,
  );
}
const config = validateConfig({
  listen: { port: 0, host: '127.0.0.1' },
  admin: { port: 0, host: '127.0.0.1' },
  allowAnonymous: true,
  // Limits out of the way: the bench measures serving the dashboard, not refusing it.
  limits: { maxPageSize: setup.maxPageSize, maxCost: 100_000_000 },
  providers: setup.accounts.map((account) => ({
    ...account,
    ...(setup.cacheTtlMs > 0 ? { cacheTtlMs: setup.cacheTtlMs } : {}),
    ...(setup.maxConcurrency > 0 ? { maxConcurrency: setup.maxConcurrency } : {}),
  })),
});
const gateway = await startGatewayServer(config, { logger: createLogger('silent'), batching: setup.batching });

const send = (message: ChildMessage) => process.send?.(message);
const gcSoFar = startGcMeter();
// A bench that died (an exception, Ctrl-C) must not leave its servers running.
process.on('disconnect', () => process.exit(0));
let profiler: Session | null = null;
let heapSampler: Session | null = null;

process.on('message', (message: ParentMessage) => {
  void (async () => {
    switch (message.type) {
      case 'usage':
        return send({ ...usageMessage(), gc: gcSoFar() });
      case 'memory': {
        const { rss } = process.memoryUsage();
        // This process's own high-water mark (bench/peak-rss.ts: getrusage's would be the bench's RSS when it forked
        // this one, if larger), read before the forced collection, which is the bench's and not the load's.
        const peak = peakRssBytes();
        // --expose-gc (the bench starts this process with it): what the gateway keeps, garbage aside.
        globalThis.gc?.();
        const after = process.memoryUsage();
        return send({ type: 'memory', rssBytes: rss, maxRssBytes: peak, rssAfterGcBytes: after.rss, heapAfterGcBytes: after.heapUsed });
      }
      case 'profile-start':
        profiler = await startProfiling();
        return send({ type: 'ok' });
      case 'profile-stop': {
        if (!profiler) throw new Error('profile-stop without profile-start');
        const summary = await stopProfiling(profiler, message.file);
        profiler = null;
        return send({ type: 'profiled', summary });
      }
      case 'heap-sampling-start':
        heapSampler = await startHeapSampling(message.survivorsOnly);
        return send({ type: 'ok' });
      case 'heap-sampling-stop': {
        if (!heapSampler) throw new Error('heap-sampling-stop without heap-sampling-start');
        const summary = await stopHeapSampling(heapSampler, message.file);
        heapSampler = null;
        return send({ type: 'sampled', summary });
      }
      case 'stop':
        await gateway.close();
        process.exit(0);
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
});
send({ type: 'gateway-ready', url: gateway.graphqlUrl });
