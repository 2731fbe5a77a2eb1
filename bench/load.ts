/**
 * Talking to the gateway under test: one checked dashboard query, and
 * autocannon runs of it.
 */
import autocannon from 'autocannon';
import { request } from 'undici';
import { settings } from './settings.js';

interface DashboardAnswer {
  errors?: unknown[];
  data?: { instances?: { totalCount: number; providerErrors: unknown[]; edges: unknown[] } } | null;
}

/**
 * Sends the dashboard once and refuses an answer that is not the whole
 * dashboard: a benchmark of error answers would flatter the gateway.
 */
export async function dashboardOnce(url: string, body: string, expectedInstances: number): Promise<string> {
  const response = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.body.text();
  const answer = JSON.parse(text) as DashboardAnswer;
  const instances = answer.data?.instances;
  const problem =
    response.statusCode !== 200
      ? `HTTP ${response.statusCode}`
      : answer.errors
        ? 'errors in the answer'
        : !instances
          ? 'no instances'
          : instances.providerErrors.length > 0
            ? 'providerErrors in the answer'
            : instances.edges.length !== expectedInstances
              ? `${instances.edges.length} instances, expected ${expectedInstances}`
              : null;
  if (problem) throw new Error(`dashboard query failed (${problem}): ${text.slice(0, 400)}`);
  return text;
}

export interface LoadResult {
  connections: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  requestsPerSecond: number;
  requests: number;
}

/** A fixed-duration autocannon run; any non-2xx answer, error or timeout fails the benchmark. */
export async function loadRun(url: string, body: string, connections: number, seconds = settings.seconds): Promise<LoadResult> {
  const result = await autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections, duration: seconds, timeout: 60 });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`load run (c=${connections}) had ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  if (result.requests.total === 0) throw new Error(`load run (c=${connections}) completed no request in ${seconds} s`);
  return {
    connections,
    seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requestsPerSecond: result.requests.total / seconds,
    requests: result.requests.total,
  };
}

/**
 * As `loadRun`, but each connection a client of its own: its own address in X-Forwarded-For
 * (the gateway must trust loopback as a proxy), as many browsers showing one dashboard would be.
 */
export async function distinctClientsLoadRun(url: string, body: string, connections: number, seconds = settings.seconds): Promise<LoadResult> {
  const runs = await Promise.all(
    Array.from({ length: connections }, (_, index) =>
      autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.18.0.${index + 1}` }, body, connections: 1, duration: seconds, timeout: 60 }),
    ),
  );
  const failed = runs.find((result) => result.non2xx > 0 || result.errors > 0 || result.timeouts > 0);
  if (failed) throw new Error(`load run (c=${connections}, distinct clients) had ${failed.non2xx} non-2xx answers, ${failed.errors} errors, ${failed.timeouts} timeouts`);
  const requests = runs.reduce((sum, result) => sum + result.requests.total, 0);
  if (requests === 0) throw new Error(`load run (c=${connections}, distinct clients) completed no request in ${seconds} s`);
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  return { connections, seconds, p50Ms: median(runs.map((result) => result.latency.p50)), p99Ms: Math.max(...runs.map((result) => result.latency.p99)), requestsPerSecond: requests / seconds, requests };
}
