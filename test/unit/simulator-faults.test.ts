import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/providers/module.js';
import { startSimulator } from '../../src/providers/registry.js';
import { withNestedEscapes } from '../../src/simulator/nested-escapes.js';
import { readEscapes } from '../../src/upstream/escape-reading.js';
import { readThrough } from '../../src/upstream/escaped-secrets.js';

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

describe("the 'echo' fault's nested escapes", () => {
  it('write every ASCII character but letters and digits behind two escapes, and read back to the same answer', () => {
    const json = { error: { code: 'SYS.1006', description: 'Basic c2lt-LW9w/c0B+ZX=', list: ['ops@example.com:pass_word', 7, null] } };
    const nested = withNestedEscapes({ status: 400, json, headers: { 'x-a': 'b' } });
    expect(nested).toMatchObject({ status: 400, headers: { 'x-a': 'b', 'content-type': 'application/json' } });
    const text = nested.text!;
    const once = JSON.parse(text) as typeof json;
    for (const quoted of [once.error.code, once.error.description, once.error.list[0]]) expect(quoted).not.toMatch(/[.@:/=+_-]/);
    expect(text).toContain('\\u0026#00000045;');
    expect(text).toContain('%2540');
    expect(text).toContain('\\u0026period;');
    expect(JSON.parse(readThrough(text))).toEqual(json);
    expect(readEscapes(text)).not.toContain('ops@example');
  });
});
