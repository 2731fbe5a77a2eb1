// Loaded (--import, with --expose-gc) into a compiled gateway under a memory
// bench: answers {type: 'memory'} over IPC with its RSS and heap after a full GC,
// the figure that shows what it holds rather than what it has not yet collected.
// MEMORY_PEAK=1: also samples its memory every 25 ms and answers {type: 'peak'}
// with the sample taken at the highest RSS (V8's heap spaces, external), what
// the peak is made of: the RSS alone does not say heap from the rest.
import { getHeapSpaceStatistics } from 'node:v8';

process.channel?.unref();
const MiB = 1024 * 1024;
let peak = null;
if (process.env.MEMORY_PEAK === '1') {
  setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (peak !== null && rss <= peak.rssMiB * MiB) return;
    const { heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
    const spaces = Object.fromEntries(getHeapSpaceStatistics().map((space) => [space.space_name, { committedMiB: space.physical_space_size / MiB, usedMiB: space.space_used_size / MiB }]));
    peak = { rssMiB: rss / MiB, heapTotalMiB: heapTotal / MiB, heapUsedMiB: heapUsed / MiB, externalMiB: external / MiB, arrayBuffersMiB: arrayBuffers / MiB, spaces };
  }, 25).unref();
}
process.on('message', (message) => {
  if (message?.type === 'peak') return process.send?.({ type: 'peak', peak });
  if (message?.type !== 'memory') return;
  globalThis.gc?.();
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  process.send?.({ type: 'memory', rssBytes: rss, heapUsedBytes: heapUsed, heapTotalBytes: heapTotal, externalBytes: external, arrayBuffersBytes: arrayBuffers });
});
