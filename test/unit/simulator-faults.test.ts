import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/providers/module.js';
import { startSimulator } from '../../src/providers/registry.js';

/** The faults that send the provider's real answer, only slowly, must send it whole (tests rely on it). */
describe('simulator faults that keep the real answer', () => {
  let simulator: RunningSimulator;
  const LABEL = 'GET /virtual_machines.json';
  const read = async () => {
    const { username, password } = simulator.accountConfig('x').auth as { username: string; password: string };
    const response = await request(`${simulator.url}/virtual_machines.json`, { headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`, accept: 'application/json' } });
    return { status: response.statusCode, body: (await response.body.json()) as unknown };
  };

  beforeAll(async () => {
    simulator = await startSimulator('onapp', { instances: 1 });
  });
  afterAll(() => simulator.stop());

  it.each(['trickle', 'late'] as const)('%s, for one label only: the real answer', async (mode) => {
    const plain = await read();
    expect(plain.status).toBe(200);
    expect(Array.isArray(plain.body) && plain.body.length).toBe(1);
    await simulator.server.setFault({ mode, onlyLabel: LABEL, trickleIntervalMs: 1, slowMs: 20, times: 1 });
    expect(await read()).toEqual(plain);
    expect(simulator.server.count(LABEL)).toBeGreaterThanOrEqual(2);
  });
});
