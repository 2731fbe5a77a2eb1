/**
 * `npm run bench:alloc`: where an uncached four-provider dashboard's memory
 * goes, in the compiled gateway run as `npm start` runs it (its node flags,
 * the same children as `npm run bench`, L = 0, one query at a time). Two
 * samplings of V8's heap profiler over ALLOC_N dashboards (20): everything
 * allocated, then only what outlived a young-generation collection. The
 * second is what the scavenges copy and promote, which is most of the
 * garbage collector's share of the bench's CPU figures (see the GC rows).
 * ALLOC_CACHE=1 measures a warm-cache dashboard instead.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startGateway, startSimulators } from './children.js';
import type { AllocationSummary } from './profile.js';
import { benchBuilds, settings } from './settings.js';

const dashboards = Number(process.env.ALLOC_N ?? 20);
const warm = process.env.ALLOC_CACHE === '1';
const build = benchBuilds().at(-1);
if (!build) throw new Error('no build to measure');
const sims = await startSimulators(settings.instances, 0, settings.kinds);
const dir = join(import.meta.dirname, 'profiles');
mkdirSync(dir, { recursive: true });
try {
  const gateway = await startGateway(sims, build, { batching: true, cacheTtlMs: warm ? 3_600_000 : 0, profiled: true });
  try {
    const sample = async (survivorsOnly: boolean): Promise<AllocationSummary> => {
      await gateway.ask({ type: 'heap-sampling-start', survivorsOnly }, 'ok');
      for (let index = 0; index < dashboards; index++) await gateway.dashboard();
      const file = join(dir, `gateway-dashboard-${warm ? 'warm' : 'uncached'}-${survivorsOnly ? 'survivors' : 'allocations'}.heapprofile`);
      return (await gateway.ask({ type: 'heap-sampling-stop', file }, 'sampled')).summary;
    };
    const kib = (bytes: number) => `${(bytes / dashboards / 1024).toFixed(0).padStart(6)} KiB`;
    const print = (title: string, summary: AllocationSummary) => {
      console.log(`\n${title}: ${(summary.bytes / dashboards / 1024 / 1024).toFixed(2)} MiB per dashboard (${summary.file})`);
      console.log('By the innermost project function on the stack:');
      for (const spot of summary.projectFunctions) console.log(`  ${kib(spot.bytes)}  ${spot.fn}`);
      console.log('By the allocating function:');
      for (const spot of summary.functions) console.log(`  ${kib(spot.bytes)}  ${spot.fn}`);
    };
    console.log(`${warm ? 'Warm-cache' : 'Uncached'} dashboard, ${sims.simulators.length} providers x ${settings.instances} instances, L=0, ${dashboards} dashboards one at a time, ${build.label} (${build.root})`);
    print('Allocated', await sample(false));
    print('Outlived a young-generation collection (copied or promoted by a scavenge)', await sample(true));
  } finally {
    await gateway.stop();
  }
} finally {
  await sims.child.stop();
}
