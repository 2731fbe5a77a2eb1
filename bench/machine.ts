/**
 * How busy the whole machine was: the bench shares its cores with whatever
 * else runs (tests, other benches), which slows wall-clock figures (latency,
 * req/s) and, less, CPU ones. Reported so a noisy run is visible as such.
 */
import { cpus } from 'node:os';

/** CPU time (ms) all cores spent not idle since boot. */
export function machineBusyMs(): number {
  return cpus().reduce((sum, core) => sum + core.times.user + core.times.nice + core.times.sys + core.times.irq, 0);
}
