import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** Runs a bench file under tsx with `env` added; its stdout and stderr once it exits 0. */
async function runBench(file: string, env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', file)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code, stderr).toBe(0);
  return { stdout, stderr };
}

// A newcomer's bench:startup sat silent for minutes after its build, and bench:scrub-worst ran 4+ minutes without saying what it was at.
describe('the long benches say on stderr what they are doing', () => {
  it('bench:scrub-worst names each size it starts, with the shapes and runs, then that it is done; stdout keeps only the results', async () => {
    const { stdout, stderr } = await runBench('scrub-worst.ts', { SCRUB_WORST_MB: '0.01,0.02', SCRUB_WORST_SHAPES: 'letters only', SCRUB_WORST_RUNS: '1' });
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^bench:scrub-worst \[\d+ s\] 0\.01 MB: 1 shapes, 1 runs each/);
    expect(lines[1]).toMatch(/^bench:scrub-worst \[\d+ s\] 0\.02 MB: /);
    expect(lines[2]).toMatch(/^bench:scrub-worst \[\d+ s\] done$/);
    expect(stdout).not.toContain('bench:scrub-worst [');
    expect(stdout).toContain('letters only');
  });

  it('bench:startup names the simulators\' start, each run\'s start and its dashboards, then that it is done (dist/ built first)', async () => {
    const { stdout, stderr } = await runBench('startup.ts', { BENCH_STARTUP_RUNS: '1', BENCH_STARTUP_DASHBOARDS: '2', BENCH_N: '2' });
    const steps = stderr.split('\n').filter((line) => line.startsWith('bench:startup [')).map((line) => line.replace(/^bench:startup \[\d+ s\] /, ''));
    expect(steps).toEqual([
      expect.stringMatching(/^starting the simulators; then 1 runs of: start, 5 s idle and settling, 2 dashboards in a row/),
      "run 1 of 1: --help, then the gateway's start",
      'run 1 of 1: 2 dashboards in a row',
      'done',
    ]);
    expect(stdout).toContain('### Start-up and idle memory');
  }, 120_000); // Its sleeps (5 s a run) and a gateway's start: a loaded machine takes it past the default 30 s.

  it('bench:memory names each load as it starts it, then that it is done (dist/ built first)', async () => {
    const { stdout, stderr } = await runBench('memory.ts', { MEMORY_ONLY: '1', MEMORY_SECONDS: '1', BENCH_TWO_N: '2' });
    const steps = stderr.split('\n').filter((line) => line.startsWith('bench:memory [')).map((line) => line.replace(/^bench:memory \[\d+ s\] /, ''));
    expect(steps).toEqual([expect.stringMatching(/: start, 3 s idle, then 16 dashboards at once for 1 s$/), 'done']);
    expect(stdout).toContain('### Memory under load');
  }, 120_000);
});
