/**
 * The simulators' HTTP control endpoints (/__sim/stats, reset, latency),
 * used from the bench process: upstream requests are counted where they
 * arrive, so nothing the gateway does (retries, caching) can hide one.
 */
import { request } from 'undici';
import type { ReplayRequest, SimulatorInfo } from './ipc.js';

export interface UpstreamCount {
  total: number;
  byLabel: Record<string, number>;
}

async function call(url: string, method: 'GET' | 'POST', body?: unknown): Promise<unknown> {
  const response = await request(url, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const answer: unknown = await response.body.json();
  if (response.statusCode !== 200) throw new Error(`${method} ${url} answered ${response.statusCode}`);
  return answer;
}

export class SimulatorControl {
  constructor(private readonly simulators: readonly SimulatorInfo[]) {}

  async reset(): Promise<void> {
    await Promise.all(this.simulators.map((simulator) => call(`${simulator.controlUrl}/__sim/reset`, 'POST')));
  }

  async setLatency(ms: number): Promise<void> {
    await Promise.all(this.simulators.map((simulator) => call(`${simulator.controlUrl}/__sim/latency`, 'POST', { ms })));
  }

  /** Requests each simulator received since the last reset, by provider kind. */
  async stats(): Promise<Record<string, UpstreamCount>> {
    const entries = await Promise.all(
      this.simulators.map(async (simulator) => {
        const stats = (await call(`${simulator.controlUrl}/__sim/stats`, 'GET')) as UpstreamCount;
        return [simulator.kind, { total: stats.total, byLabel: stats.byLabel }] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  /** Every request the simulators received since the last reset, ready to replay. */
  async requests(): Promise<ReplayRequest[]> {
    const lists = await Promise.all(
      this.simulators.map(async (simulator) => {
        const { requests } = (await call(`${simulator.controlUrl}/__sim/requests`, 'GET')) as { requests: Array<Omit<ReplayRequest, 'origin'>> };
        return requests.map((request) => ({ ...request, origin: simulator.controlUrl }));
      }),
    );
    return lists.flat();
  }

  /** Upstream requests caused by `run` (one dashboard query), counted at the simulators. */
  async countDuring(run: () => Promise<unknown>): Promise<Record<string, UpstreamCount>> {
    await this.reset();
    await run();
    return this.stats();
  }
}
