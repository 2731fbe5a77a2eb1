import type { Histogram } from 'prom-client';

type UpstreamDurationLabel = 'provider' | 'kind' | 'operation' | 'outcome';
type Series = ReturnType<Histogram<UpstreamDurationLabel>['labels']>;

/**
 * backup_graph_upstream_request_duration_seconds' series by their four labels, each prom-client's
 * `labels(...)` child, made once: `observe({ provider, kind, operation, outcome }, seconds)` made a
 * labels object and a closure on every upstream call (some 140 B of its ~650; the rest is
 * prom-client's own series key, built on every observation either way). Nested maps rather than one
 * keyed by the labels joined, which would build a string per call too. As many entries as the
 * histogram has series: its labels are the configured accounts, their operations and outcomes.
 */
export class UpstreamDurationSeries {
  private readonly byProvider = new Map<string, Map<string, Map<string, Map<string, Series>>>>();

  constructor(private readonly histogram: Histogram<UpstreamDurationLabel>) {}

  observe(provider: string, kind: string, operation: string, outcome: string, seconds: number): void {
    const byKind = this.byProvider.get(provider) ?? setAndReturn(this.byProvider, provider, new Map());
    const byOperation = byKind.get(kind) ?? setAndReturn(byKind, kind, new Map());
    const byOutcome = byOperation.get(operation) ?? setAndReturn(byOperation, operation, new Map());
    const series = byOutcome.get(outcome) ?? setAndReturn(byOutcome, outcome, this.histogram.labels(provider, kind, operation, outcome));
    series.observe(seconds);
  }
}

function setAndReturn<K, V>(map: Map<K, V>, key: K, value: V): V {
  map.set(key, value);
  return value;
}
