import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const LOCK_MODULE = resolve('scripts/build-lock.mjs');

/**
 * A builder as scripts/build.mjs is one: takes the lock at `lock`, appends "start" and "end"
 * with the time to `log` around `holdMs` of work, and exits (giving the lock back).
 */
function builder(lock: string, log: string, name: string, holdMs: number): Promise<{ code: number | null; stderr: string }> {
  const source = `
    import { appendFileSync } from 'node:fs';
    const { takeBuildLock } = await import(${JSON.stringify(LOCK_MODULE)});
    takeBuildLock(${JSON.stringify(lock)}, (holder) => process.stderr.write('waiting for ' + holder + '\\n'));
    appendFileSync(${JSON.stringify(log)}, ${JSON.stringify(name)} + ' start ' + Date.now() + '\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${holdMs});
    appendFileSync(${JSON.stringify(log)}, ${JSON.stringify(name)} + ' end ' + Date.now() + '\\n');
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((done) => child.on('exit', (code) => done({ code, stderr })));
}

const events = (log: string) => readFileSync(log, 'utf8').trim().split('\n').map((line) => line.split(' ') as [string, string, string]);

describe('scripts/build-lock.mjs: one build of dist/ at a time', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a second builder waits for the first to finish, says so, and the lock is gone after both', async () => {
    dir = mkdtempSync(join(tmpdir(), 'build-lock-'));
    const lock = join(dir, '.build.lock');
    const log = join(dir, 'log');
    const first = builder(lock, log, 'a', 1_500);
    // The second starts once the first holds the lock.
    for (let n = 0; n < 100 && !existsSync(log); n += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    const second = builder(lock, log, 'b', 10);
    const [a, b] = await Promise.all([first, second]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(events(log).map(([name, what]) => `${name} ${what}`)).toEqual(['a start', 'a end', 'b start', 'b end']);
    expect(b.stderr).toMatch(/^waiting for \d+/);
    expect(existsSync(lock)).toBe(false);
  });

  it('takes over a lock whose builder is gone (killed mid-build)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'build-lock-'));
    const lock = join(dir, '.build.lock');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(lock, gone.stdout);
    const result = await builder(lock, join(dir, 'log'), 'a', 10);
    expect(result).toEqual({ code: 0, stderr: '' });
  });

  it('takes over an empty lock file left for long (a builder killed between creating and writing it)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'build-lock-'));
    const lock = join(dir, '.build.lock');
    writeFileSync(lock, '');
    const old = (Date.now() - 60_000) / 1000;
    utimesSync(lock, old, old);
    expect(await builder(lock, join(dir, 'log'), 'a', 10)).toEqual({ code: 0, stderr: '' });
  });
});
