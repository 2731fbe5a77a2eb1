import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const LOCK_MODULE = resolve('scripts/build-lock.mjs');

/**
 * A builder as scripts/build.mjs is one: takes the lock at `lock`, appends "start" and "end"
 * with the time to `log` around its work, and exits (giving the lock back). Its work lasts until
 * the file `release` exists (none given: at once): the test, not a clock, says when it ends.
 */
function builder(lock: string, log: string, name: string, release?: string): Builder {
  const source = `
    import { appendFileSync, existsSync } from 'node:fs';
    const { takeBuildLock } = await import(${JSON.stringify(LOCK_MODULE)});
    takeBuildLock(${JSON.stringify(lock)}, (holder) => process.stderr.write('waiting for ' + holder + '\\n'));
    appendFileSync(${JSON.stringify(log)}, ${JSON.stringify(name)} + ' start ' + Date.now() + '\\n');
    const release = ${JSON.stringify(release ?? null)};
    while (release !== null && !existsSync(release)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    appendFileSync(${JSON.stringify(log)}, ${JSON.stringify(name)} + ' end ' + Date.now() + '\\n');
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let said: () => void = () => {};
  const saidSomething = new Promise<void>((resolve) => (said = resolve));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    said();
  });
  const exited = new Promise<{ code: number | null; stderr: string }>((done) => child.on('exit', (code) => done({ code, stderr })));
  void exited.then(() => said());
  return { exited, saidSomething };
}

/** Resolves once `file` exists: a watch on its folder, taken before whatever writes it starts, not a poll. */
function created(file: string): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(dirname(file), () => {
      if (!existsSync(file)) return;
      watcher.close();
      resolve();
    });
  });
}

interface Builder {
  exited: Promise<{ code: number | null; stderr: string }>;
  /** Resolves at its first words on stderr (or its exit, if it says nothing). */
  saidSomething: Promise<void>;
}

const events = (log: string) => readFileSync(log, 'utf8').trim().split('\n').map((line) => line.split(' ') as [string, string, string]);

describe('scripts/build-lock.mjs: one build of dist/ at a time', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a second builder waits for the first to finish, says so, and the lock is gone after both', async () => {
    dir = mkdtempSync(join(tmpdir(), 'build-lock-'));
    const lock = join(dir, '.build.lock');
    const log = join(dir, 'log');
    const release = join(dir, 'release');
    const logged = created(log);
    const first = builder(lock, log, 'a', release);
    // The second starts once the first holds the lock (its start is logged after it took it).
    await logged;
    const second = builder(lock, log, 'b');
    // The first ends only once the second has said it waits: however slow a start is under load,
    // the second comes while the first holds the lock (a fixed 1.5 s hold ran out before it).
    await second.saidSomething;
    writeFileSync(release, '');
    const [a, b] = await Promise.all([first.exited, second.exited]);
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
    const result = await builder(lock, join(dir, 'log'), 'a').exited;
    expect(result).toEqual({ code: 0, stderr: '' });
  });

  it('takes over an empty lock file left for long (a builder killed between creating and writing it)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'build-lock-'));
    const lock = join(dir, '.build.lock');
    writeFileSync(lock, '');
    const old = (Date.now() - 60_000) / 1000;
    utimesSync(lock, old, old);
    expect(await builder(lock, join(dir, 'log'), 'a').exited).toEqual({ code: 0, stderr: '' });
  });
});
