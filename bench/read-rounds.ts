/**
 * Rounds of reads under load. Without the cache, concurrent dashboards save
 * upstream calls only by joining flights still in the air, so a load run's
 * upstream calls per query depend on how its clients fall into rounds: the
 * clients answered together send again together and share one round of
 * reads, and which of them do is set by timing (docs/benchmark.md, "Upstream
 * calls under load"). A round is counted by the reads a dashboard makes once
 * (each account's instance list): one flight of them per round.
 */
import type { UpstreamCount } from './sim-control.js';

/** Requests received per "<kind> <label>", as the simulators' process counts them. */
export type ReceivedByLabel = Record<string, number>;

/** The "<kind> <label>" reads that one dashboard alone sends exactly once. */
export function onceReadLabels(oneQuery: Record<string, UpstreamCount>): string[] {
  return Object.entries(oneQuery).flatMap(([kind, count]) =>
    Object.entries(count.byLabel)
      .filter(([, times]) => times === 1)
      .map(([label]) => `${kind} ${label}`),
  );
}

/** Rounds of reads between two counts: the once-a-dashboard reads' flights, averaged over those reads. */
export function roundsBetween(before: ReceivedByLabel, after: ReceivedByLabel, onceLabels: readonly string[]): number {
  if (onceLabels.length === 0) return Number.NaN;
  const flights = onceLabels.reduce((sum, label) => sum + (after[label] ?? 0) - (before[label] ?? 0), 0);
  return flights / onceLabels.length;
}
