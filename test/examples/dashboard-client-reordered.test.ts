import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DanubeSimulator } from '../../src/providers/danube/simulator.js';
import { startHarness, withProviderSettings, type Harness } from '../helpers/harness.js';

const SCRIPT = 'examples/dashboard-client/src/dashboard.ts';
/** More than the script's page (200): the table takes two pages. */
const INSTANCES = 250;

/** Runs the example as a user would (node with tsx), to its exit. */
function runScript(url: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * No provider promises the order of its instance list, and the gateway's cursors keep none: the
 * page after a cursor starts after its instance wherever the list has it now, so instances the
 * provider moved past it between two pages are served again (docs/protection.md, "Paging"). The
 * example printed each of them twice, as two instances; it prints each instance once now.
 */
describe('examples/dashboard-client over a provider that re-orders its instances between pages', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ kinds: ['danube'], simulator: { instances: INSTANCES, backupsPerInstance: 1 }, configure: withProviderSettings({ cacheTtlMs: 0 }) });
  });
  afterAll(() => harness?.close());

  it('prints each instance once, every instance listed', async () => {
    const simulator = harness.simulator('danube').simulator as DanubeSimulator;
    const hostnames = simulator.vms.map((vm) => String(vm.alias));
    simulator.rotatesVmList = true;
    const run = await runScript(harness.gateway.graphqlUrl);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const names = run.stdout.trimEnd().split('\n').slice(1).map((row) => row.split(/\s+/)[0]);
    expect(names).toHaveLength(INSTANCES);
    expect(new Set(names).size).toBe(INSTANCES);
    expect([...names].sort()).toEqual([...hostnames].sort());
  }, 120_000);
});
