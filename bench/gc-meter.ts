/**
 * The garbage collector's pauses in this process, by kind, as V8 reports
 * them to node's performance timeline. The bench's CPU figures say how much
 * a dashboard costs; these say how much of it is spent collecting what it
 * allocated (young-generation scavenges, which copy what is still alive, and
 * full mark-compacts).
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';

export interface GcTotals {
  minorCount: number;
  minorMs: number;
  majorCount: number;
  majorMs: number;
}

export function startGcMeter(): () => GcTotals {
  const totals: GcTotals = { minorCount: 0, minorMs: 0, majorCount: 0, majorMs: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // node's GC entries carry `detail.kind` (NodeGCPerformanceDetail); the typings' PerformanceEntry does not declare it.
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        totals.minorCount++;
        totals.minorMs += entry.duration;
      } else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        totals.majorCount++;
        totals.majorMs += entry.duration;
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => ({ ...totals });
}
