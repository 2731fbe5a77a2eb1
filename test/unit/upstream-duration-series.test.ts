import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { UpstreamDurationSeries } from '../../src/observability/upstream-duration-series.js';

/** The histogram as the gateway's metrics make it, in a registry of its own. */
function durations() {
  const histogram = new Histogram({
    name: 'upstream_request_duration_seconds',
    help: 'test',
    labelNames: ['provider', 'kind', 'operation', 'outcome'] as const,
    buckets: [0.1, 1],
    registers: [new Registry()],
  });
  return { histogram, series: new UpstreamDurationSeries(histogram) };
}

/** Each series' observation count and sum, keyed by its labels in the histogram's order. */
async function countsAndSums(histogram: Histogram<'provider' | 'kind' | 'operation' | 'outcome'>): Promise<Record<string, { count: number; sum: number }>> {
  const seen: Record<string, { count: number; sum: number }> = {};
  for (const value of (await histogram.get()).values) {
    const { provider, kind, operation, outcome } = value.labels;
    const key = `${provider}/${kind}/${operation}/${outcome}`;
    const entry = (seen[key] ??= { count: 0, sum: 0 });
    if (value.metricName?.endsWith('_count') === true) entry.count = value.value;
    if (value.metricName?.endsWith('_sum') === true) entry.sum = value.value;
  }
  return seen;
}

describe('the upstream duration series, one prom-client child per label set', () => {
  it('puts each observation under its own four labels, in the histogram order, however many times a set comes again', async () => {
    const { histogram, series } = durations();
    series.observe('zomro-test', 'zomro', 'instances.list', 'ok', 0.25);
    series.observe('zomro-test', 'zomro', 'instances.list', 'ok', 0.5);
    series.observe('zomro-test', 'zomro', 'instances.list', 'ok', 2);
    expect(await countsAndSums(histogram)).toEqual({ 'zomro-test/zomro/instances.list/ok': { count: 3, sum: 2.75 } });
  });

  it('keeps label sets that differ in any one label apart, whatever the order they come in', async () => {
    const { histogram, series } = durations();
    series.observe('a', 'onapp', 'list', 'ok', 1);
    series.observe('a', 'onapp', 'list', 'error', 2);
    series.observe('a', 'onapp', 'get', 'ok', 4);
    series.observe('a', 'zstack', 'list', 'ok', 8);
    series.observe('b', 'onapp', 'list', 'ok', 16);
    series.observe('a', 'onapp', 'list', 'ok', 32);
    series.observe('b', 'onapp', 'list', 'ok', 64);
    expect(await countsAndSums(histogram)).toEqual({
      'a/onapp/list/ok': { count: 2, sum: 33 },
      'a/onapp/list/error': { count: 1, sum: 2 },
      'a/onapp/get/ok': { count: 1, sum: 4 },
      'a/zstack/list/ok': { count: 1, sum: 8 },
      'b/onapp/list/ok': { count: 2, sum: 80 },
    });
  });
});
