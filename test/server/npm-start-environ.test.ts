import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/providers/module.js';
import { startSimulator } from '../../src/providers/registry.js';
import { environOf } from '../helpers/process-environ.js';
import { tempDirs } from '../helpers/temp-dirs.js';
import { ensureBuilt, shellEnv, start, type Spawned } from './process.js';

/**
 * `npm start` sets MALLOC_ARENA_MAX=2 in the gateway's environment, where glibc reads it as node
 * starts (why: the Dockerfile's runtime ENV; docs/operations.md, "Start-up, memory, sizing"), and
 * leaves an operator's own value alone. Read back from the running gateway's /proc/<pid>/environ.
 */
const temp = tempDirs();

/** The pids of a process's children (every thread's), from /proc (Linux). */
const childrenOf = (pid: number): number[] =>
  readdirSync(`/proc/${pid}/task`).flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(/\s+/).filter(Boolean).map(Number));

describe('npm start\'s environment for the gateway (MALLOC_ARENA_MAX)', () => {
  let simulator: RunningSimulator;
  let running: Spawned | null = null;
  beforeAll(async () => {
    ensureBuilt();
    simulator = await startSimulator('zomro', {});
  }, 120_000);
  afterEach(() => {
    running?.kill();
    running = null;
  });
  afterAll(async () => {
    await simulator.stop();
    temp.removeAll();
  });

  /** The environment of the node process `npm start` runs (npm's child: the script execs node in its shell), once it listens. */
  async function gatewayEnviron(extra: Record<string, string>): Promise<Record<string, string>> {
    const configFile = join(temp.make('bg-npm-start-env-'), 'config.yaml');
    writeFileSync(configFile, `allowAnonymous: true\nlisten: { host: 127.0.0.1 }\nadmin: { port: 0 }\nproviders:\n  - ${JSON.stringify(simulator.accountConfig('zomro-npm-env'))}\n`);
    const env = shellEnv({ PORT: '0', ...extra });
    if (extra.MALLOC_ARENA_MAX === undefined) delete env.MALLOC_ARENA_MAX;
    running = start('npm', ['start', '--', '--config', configFile], env);
    await running.waitFor(/GraphiQL: (http:\/\/[^\s";]+)/);
    const nodes = childrenOf(running.child.pid as number).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dist/main.js'));
    expect(nodes, running.output()).toHaveLength(1);
    const environ = environOf(nodes[0]);
    running.child.kill('SIGTERM');
    expect((await running.exited).code, running.output()).toBe(0);
    return environ;
  }

  it('gives the gateway MALLOC_ARENA_MAX=2 when the caller set none', async () => {
    expect((await gatewayEnviron({})).MALLOC_ARENA_MAX).toBe('2');
  }, 120_000);

  it('keeps a MALLOC_ARENA_MAX the caller set', async () => {
    expect((await gatewayEnviron({ MALLOC_ARENA_MAX: '4' })).MALLOC_ARENA_MAX).toBe('4');
  }, 120_000);
});
